package root

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/dialog"
	"github.com/mltop/mltop/ui/uitest"
)

// The sizes of an on-call's terminal and of a wide one.
var ergoSizes = []struct{ w, h int }{{80, 24}, {200, 50}}

// reshuffled is the fixture snapshot, later, with payments-fraud (the top
// row) judged healthy so that it sorts down, and eta-predictor failing so
// that it sorts up.
func reshuffled(after time.Duration) fleet.Snapshot {
	s := uitest.Snapshot()
	s.TakenAt = s.TakenAt.Add(after)
	for i := range s.Models {
		switch s.Models[i].Name {
		case "eta-predictor":
			bad := 0.5
			s.Models[i].Versions[0].ErrorRate = &bad
			judge.Model(&s.Models[i], judge.Default())
		case "payments-fraud":
			s.Models[i].Health.Status, s.Models[i].Health.Findings = fleet.StatusOK, nil
		}
	}
	return s
}

func fleetSelected(m *Model) string { return m.stack[0].(selector).Selected() }

// The rollback dialog opens with the caret in the reason: typing goes
// there at once, and the confirm button is not focused.
func TestGoldenRollbackOpensInReason(t *testing.T) {
	for _, sz := range ergoSizes {
		name := fmt.Sprintf("rollback-open-dark-%dx%d", sz.w, sz.h)
		t.Run(name, func(t *testing.T) {
			m, fx := actionRoot(t, sz.w, sz.h, nil)
			deliver(m, press(m, "R"))
			m.Update(dialog.ArmedMsg{ID: m.act.dialog.ID()})
			if !m.act.dialog.Capturing() {
				t.Fatal("the dialog opened with no input taking text")
			}
			v := view(m)
			assertFits(t, v, sz.w, sz.h)
			uitest.Golden(t, name, v)
			// The opening enter walks the fields; it never sends.
			press(m, "enter")
			if _, n := fx.counts(); n != 0 || m.act.dialog == nil {
				t.Fatalf("enter on the opened dialog: %d executions, dialog open %v", n, m.act.dialog != nil)
			}
		})
	}
}

// enter after the right typed name focuses Roll back; the next sends.
func TestGoldenEnterAfterTypedNameFocusesConfirm(t *testing.T) {
	for _, sz := range ergoSizes {
		name := fmt.Sprintf("rollback-confirm-focus-dark-%dx%d", sz.w, sz.h)
		t.Run(name, func(t *testing.T) {
			m, fx := actionRoot(t, sz.w, sz.h, nil)
			deliver(m, press(m, "R"))
			m.Update(dialog.ArmedMsg{ID: m.act.dialog.ID()})
			typeText(m, "error spike since v8")
			press(m, "tab")
			typeText(m, "payments-fraud")
			press(m, "enter")
			if _, n := fx.counts(); n != 0 {
				t.Fatal("enter after the typed name sent the request")
			}
			v := view(m)
			assertFits(t, v, sz.w, sz.h)
			uitest.Golden(t, name, v)
			deliver(m, press(m, "enter"))
			if _, n := fx.counts(); n != 1 {
				t.Fatalf("%d executions after the second enter, want 1", n)
			}
		})
	}
}

// :aud then enter runs :audit, the one completion the list shows.
func TestPaletteEnterRunsSingleCompletion(t *testing.T) {
	m, _ := actionRoot(t, 120, 40, nil)
	press(m, ":")
	typeText(m, "aud")
	if words := candidateWords(m); strings.Join(words, ",") != "audit" {
		t.Fatalf(":aud candidates = %v", words)
	}
	deliver(m, press(m, "enter"))
	if got := m.Stack(); len(got) != 2 || !strings.HasPrefix(got[1], "audit") {
		t.Fatalf(":aud + enter: stack %v, flash %q", got, m.flash.text)
	}
	// A command completed that needs an argument says so, by its name.
	press(m, "esc", ":")
	typeText(m, "the")
	press(m, "enter")
	if !strings.Contains(m.flash.text, ":theme needs NAME") {
		t.Errorf(":the + enter said %q", m.flash.text)
	}
	// Nothing to complete to: the text is run as typed and named.
	press(m, ":")
	typeText(m, "zz")
	press(m, "enter")
	if !strings.Contains(m.flash.text, `unknown command "zz"`) {
		t.Errorf(":zz + enter said %q", m.flash.text)
	}
}

// The cursor stays on the model opened, also when the user never moved
// it and the fleet re-sorted while the detail was open.
func TestCursorStaysOnModelOpened(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	top := fleetSelected(m)
	deliver(m, press(m, "enter")) // the fleet's OpenModelMsg
	if len(m.Stack()) != 2 {
		t.Fatalf("enter did not open the detail: %v", m.Stack())
	}
	m.Update(common.SnapshotMsg{Snapshot: reshuffled(5 * time.Second)})
	press(m, "esc")
	if got := fleetSelected(m); got != top {
		t.Errorf("after closing the detail of %s the cursor is on %s", top, got)
	}
	// Opened by command: the cursor follows too.
	press(m, ":")
	typeText(m, "model demand-forecast")
	press(m, "enter")
	press(m, "q")
	if got := fleetSelected(m); got != "demand-forecast" || len(m.Stack()) != 1 {
		t.Errorf("after :model demand-forecast and q: cursor on %s, stack %v", got, m.Stack())
	}
}

func TestGoldenCursorAfterDetail(t *testing.T) {
	for _, sz := range ergoSizes {
		name := fmt.Sprintf("cursor-after-detail-dark-%dx%d", sz.w, sz.h)
		t.Run(name, func(t *testing.T) {
			m := newRoot(t, "dark", sz.w, sz.h, Options{})
			m.Update(common.OpenModelMsg{Model: "credit-risk"})
			m.Update(common.SnapshotMsg{Snapshot: reshuffled(5 * time.Second)})
			press(m, "esc")
			v := view(m)
			assertFits(t, v, sz.w, sz.h)
			if l := lineWith(v, "credit-risk"); !strings.HasPrefix(l, "▌") {
				t.Errorf("credit-risk is not under the cursor: %q", l)
			}
			uitest.Golden(t, name, v)
		})
	}
}

// The cursor stays on the model acted on when the outcome re-sorts it.
func TestCursorStaysOnModelActedOn(t *testing.T) {
	m, _ := actionRoot(t, 120, 40, nil)
	acted := fleetSelected(m) // the top row; the cursor was never moved
	deliver(m, press(m, "T"))
	m.Update(dialog.ArmedMsg{ID: m.act.dialog.ID()})
	typeText(m, "drift")
	press(m, "tab", "tab")
	cmd := press(m, "enter")
	deliver(m, cmd)
	m.Update(common.SnapshotMsg{Snapshot: reshuffled(5 * time.Second)})
	m.Update(dialog.ArmedMsg{ID: m.act.dialog.ID()})
	press(m, "esc")
	if got := fleetSelected(m); got != acted {
		t.Errorf("after the outcome the cursor is on %s, want %s", got, acted)
	}
}

// / takes health and track terms.
func TestGoldenFilterByHealth(t *testing.T) {
	for _, sz := range ergoSizes {
		name := fmt.Sprintf("filter-not-ok-dark-%dx%d", sz.w, sz.h)
		t.Run(name, func(t *testing.T) {
			m := newRoot(t, "dark", sz.w, sz.h, Options{})
			press(m, "/")
			typeText(m, "!ok")
			press(m, "enter")
			v := view(m)
			assertFits(t, v, sz.w, sz.h)
			text := ansi.Strip(v)
			if !strings.Contains(text, "4 of 7 models") || strings.Contains(text, "search-ranker") {
				t.Errorf("!ok does not keep the four unhealthy models:\n%s", text)
			}
			uitest.Golden(t, name, v)
		})
	}
	m := newRoot(t, "dark", 120, 40, Options{})
	press(m, "/")
	typeText(m, "track=canary")
	press(m, "enter")
	if text := ansi.Strip(view(m)); !strings.Contains(text, "1 of 7 models") || !strings.Contains(text, "credit-risk") {
		t.Errorf("track=canary:\n%s", text)
	}
}

// A theme drawn for the other kind of background asks the terminal for
// its background and text colours; one drawn for this kind leaves them.
func TestThemeForOtherBackgroundPaintsIt(t *testing.T) {
	cases := []struct {
		termDark bool
		theme    string
		bg, fg   color.Color
	}{
		{true, "light", themes.Light.Bg, themes.Light.Fg},
		{true, "dark", nil, nil},
		{true, "auto", nil, nil},
		{true, "no-color", nil, nil},
		{false, "light", nil, nil},
		{false, "auto", nil, nil},
		{false, "dark", themes.Dark.Bg, themes.Dark.Fg},
		{false, "high-contrast", themes.HighContrast.Bg, themes.HighContrast.Fg},
	}
	for _, tc := range cases {
		m := newRoot(t, "dark", 80, 24, Options{})
		bg := color.Color(color.Black)
		if !tc.termDark {
			bg = color.White
		}
		m.Update(tea.BackgroundColorMsg{Color: bg})
		press(m, ":")
		typeText(m, "theme "+tc.theme)
		press(m, "enter")
		if m.flash.isErr {
			t.Fatalf(":theme %s: %s", tc.theme, m.flash.text)
		}
		v := m.View()
		if !sameColor(v.BackgroundColor, tc.bg) || !sameColor(v.ForegroundColor, tc.fg) {
			t.Errorf("dark terminal %v, :theme %s: terminal colours %v/%v, want %v/%v",
				tc.termDark, tc.theme, v.BackgroundColor, v.ForegroundColor, tc.bg, tc.fg)
		}
	}
}

func sameColor(a, b color.Color) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ar, ag, ab, aa := a.RGBA()
	br, bg, bb, ba := b.RGBA()
	return ar == br && ag == bg && ab == bb && aa == ba
}

// q above the fleet goes back, and the key line says so.
func TestGoldenQGoesBack(t *testing.T) {
	for _, sz := range ergoSizes {
		name := fmt.Sprintf("detail-keys-dark-%dx%d", sz.w, sz.h)
		t.Run(name, func(t *testing.T) {
			m := newRoot(t, "dark", sz.w, sz.h, Options{})
			m.Update(common.OpenModelMsg{Model: "credit-risk"})
			v := view(m)
			assertFits(t, v, sz.w, sz.h)
			if line := ansi.Strip(keyLineText(m)); strings.Contains(line, "quit") {
				t.Errorf("the key line above the fleet offers quit: %q", line)
			}
			uitest.Golden(t, name, v)
			if isQuit(press(m, "q")) || len(m.Stack()) != 1 {
				t.Fatalf("q on the detail: stack %v", m.Stack())
			}
		})
	}
	m := newRoot(t, "dark", 200, 50, Options{})
	m.Update(common.OpenModelMsg{Model: "credit-risk"})
	if line := ansi.Strip(keyLineText(m)); !strings.Contains(line, "q back") {
		t.Errorf("key line on the detail lacks q back: %q", line)
	}
	press(m, "q")
	if line := ansi.Strip(keyLineText(m)); !strings.Contains(line, "q quit") {
		t.Errorf("key line on the fleet lacks q quit: %q", line)
	}
}

// lineWith is the first line of a frame containing s, without styles.
func lineWith(frame, s string) string {
	for _, l := range strings.Split(ansi.Strip(frame), "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
