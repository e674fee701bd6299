package root

import (
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/ui/uitest"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/ui/common"
)

func TestStackPushPopAndBreadcrumbs(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	m.Update(common.OpenModelMsg{Model: "credit-risk"})
	if got := strings.Join(m.Stack(), ","); got != "fleet,credit-risk" {
		t.Fatalf("stack = %s", got)
	}
	if top := ansi.Strip(strings.SplitN(view(m), "\n", 2)[0]); !strings.HasPrefix(top, " mltop › credit-risk") {
		t.Errorf("status line = %q", top)
	}
	press(m, "esc")
	if got := strings.Join(m.Stack(), ","); got != "fleet" {
		t.Fatalf("esc left stack %s", got)
	}
	m.Update(common.OpenModelMsg{Model: "credit-risk"})
	m.Update(common.BackMsg{})
	if len(m.Stack()) != 1 {
		t.Errorf("BackMsg did not pop")
	}
	// The fleet is never popped.
	press(m, "esc")
	m.Update(common.BackMsg{})
	if len(m.Stack()) != 1 {
		t.Errorf("the fleet was popped")
	}
}

func TestQuitKeys(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{Screens: fakeScreens})
	if !isQuit(press(m, "q")) {
		t.Error("q on the fleet did not quit")
	}
	// Above the fleet q goes back, as esc does; on the fleet it quits.
	m.Update(common.OpenModelMsg{Model: "credit-risk"})
	if isQuit(press(m, "q")) || len(m.Stack()) != 1 {
		t.Errorf("q on a pushed screen: stack %v, want back on the fleet without quitting", m.Stack())
	}
	if !isQuit(press(m, "q")) {
		t.Error("q back on the fleet did not quit")
	}
	m.Update(common.OpenModelMsg{Model: "credit-risk"})
	// A screen taking text gets letters, esc included; ctrl+c still quits.
	press(m, "i")
	if isQuit(press(m, "q")) {
		t.Error("q quit while the screen was taking text")
	}
	press(m, "?")
	if m.overlay != overlayNone {
		t.Error("? opened the help while the screen was taking text")
	}
	press(m, "esc")
	if len(m.Stack()) != 2 {
		t.Error("esc popped the screen instead of ending its input")
	}
	press(m, "i")
	if !isQuit(press(m, "ctrl+c")) {
		t.Error("ctrl+c did not quit while typing")
	}
	press(m, "/")
	if !isQuit(press(m, "ctrl+c")) {
		t.Error("ctrl+c did not quit from the filter input")
	}
}

func TestRangeKeys(t *testing.T) {
	hist := &recordingHistory{}
	c := newTestCommon("dark")
	c.History = hist
	m := newRoot(t, "dark", 120, 40, Options{Common: c, Screens: fakeScreens})
	uitest.Run(m.push(m.screens.Detail(m.c, "credit-risk")))
	for i, want := range common.Ranges {
		uitest.Run(press(m, string(rune('1'+i))))
		if c.Range != want {
			t.Errorf("key %d: range %v, want %v", i+1, c.Range, want)
		}
	}
	asked := hist.asked()
	if len(asked) != 1+len(common.Ranges) || asked[len(asked)-1] != 24*time.Hour {
		t.Errorf("history asked for %v", asked)
	}
}

func TestResizeReachesEveryScreen(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{Screens: fakeScreens})
	m.Update(common.OpenModelMsg{Model: "credit-risk"})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	fl := m.stack[0].(*fakeFleet)
	dt := m.stack[1].(*fakeDetail)
	if fl.w != 80 || fl.h != 22 || dt.w != 80 || dt.h != 22 {
		t.Errorf("sizes: fleet %dx%d, detail %dx%d; want 80x22", fl.w, fl.h, dt.w, dt.h)
	}
	assertFits(t, view(m), 80, 24)
	// Degenerate sizes never panic and never overflow.
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {10, 2}, {5, 3}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		if sz[1] > 0 {
			assertFits(t, view(m), sz[0], sz[1])
		}
	}
}

func TestMouseTranslatedToBody(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{Screens: fakeScreens})
	fl := m.stack[0].(*fakeFleet)
	m.Update(tea.MouseClickMsg{X: 5, Y: 3, Button: tea.MouseLeft})
	m.Update(tea.MouseClickMsg{X: 5, Y: 0, Button: tea.MouseLeft})  // status line
	m.Update(tea.MouseClickMsg{X: 5, Y: 39, Button: tea.MouseLeft}) // key line
	if len(fl.clicks) != 1 || fl.clicks[0].Y != 2 || fl.clicks[0].X != 5 {
		t.Errorf("fleet got clicks %+v, want one at (5,2)", fl.clicks)
	}
	v := m.View()
	if v.MouseMode != tea.MouseModeCellMotion || !v.AltScreen {
		t.Errorf("view: mouse mode %v, alt screen %v", v.MouseMode, v.AltScreen)
	}
}

func TestAutoThemeFollowsBackground(t *testing.T) {
	screens, changes := countingScreens()
	m := New(Options{Theme: "auto", Screens: screens, Now: time.Unix(0, 0)})
	if m.c.Theme.Palette.Name != "dark" {
		t.Fatalf("auto before the terminal answers = %s, want dark", m.c.Theme.Palette.Name)
	}
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if m.c.Theme.Palette.Name != "light" || *changes != 1 {
		t.Errorf("after a white background: theme %s, %d changes", m.c.Theme.Palette.Name, *changes)
	}
	// An explicit theme ignores the background.
	m = New(Options{Theme: "high-contrast", Screens: fakeScreens, Now: time.Unix(0, 0)})
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if m.c.Theme.Palette.Name != "high-contrast" {
		t.Errorf("explicit theme replaced by %s", m.c.Theme.Palette.Name)
	}
	// NO_COLOR / --no-color win over the named theme.
	m = New(Options{Theme: "light", NoColor: true, Screens: fakeScreens, Now: time.Unix(0, 0)})
	if !m.c.Theme.NoColor {
		t.Error("NoColor kept colours")
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if strings.Contains(view(m), "\x1b[38;2") {
		t.Error("no-color frame has colour codes")
	}
}

func TestResolveTheme(t *testing.T) {
	if _, err := ResolveTheme("purple", false, true); err == nil {
		t.Error("unknown theme accepted")
	}
	if th, err := ResolveTheme("purple", true, true); err != nil || !th.NoColor {
		t.Errorf("no-color: %v %v", th, err)
	}
	if th, err := ResolveTheme("", false, false); err != nil || th.Palette.Name != "light" {
		t.Errorf("auto on light: %v %v", th, err)
	}
}

func TestStatusMsgAndClock(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{Screens: fakeScreens})
	m.Update(common.StatusMsg{Text: "rollback failed: \x1b[31mregistry said no", Error: true})
	bottom := lastLine(view(m))
	if !strings.Contains(ansi.Strip(bottom), "rollback failed: registry said no") {
		t.Errorf("status message not shown (or not cleaned): %q", ansi.Strip(bottom))
	}
	// The clock advances ages and ends the message.
	later := m.c.Now.Add(time.Minute)
	m.Update(clockMsg{now: later})
	if m.c.Now != later || m.flash.text != "" {
		t.Errorf("clock: now %v, message %q", m.c.Now, m.flash.text)
	}
	m.Update(frameMsg{})
	if top := ansi.Strip(strings.SplitN(view(m), "\n", 2)[0]); !strings.Contains(top, "refreshed 1m2s ago") {
		t.Errorf("age did not advance: %q", top)
	}
}

func TestHelpScrollsWhenTallerThanWindow(t *testing.T) {
	m := newRoot(t, "dark", 80, 24, Options{})
	press(m, "?")
	first := ansi.Strip(view(m))
	if !strings.Contains(first, "↑↓ scroll · lines 1–") {
		t.Fatalf("no scroll footer at 80x24:\n%s", first)
	}
	for i := 0; i < 100; i++ {
		press(m, "j")
	}
	last := ansi.Strip(view(m))
	if !strings.Contains(last, ":quit") {
		t.Errorf("the end of the help is unreachable:\n%s", last)
	}
	press(m, "k")
	m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if got := ansi.Strip(view(m)); got != last {
		t.Errorf("scrolling past the end moved the page:\n%s", got)
	}
	press(m, "esc")
	if m.overlay != overlayNone {
		t.Error("esc did not close the help")
	}
	// Tall enough: no footer.
	m = newRoot(t, "dark", 200, 50, Options{})
	press(m, "?")
	if strings.Contains(ansi.Strip(view(m)), "scroll") {
		t.Error("scroll footer shown when the help fits")
	}
}
