package root

import (
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/ui/uitest"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/ui/common"
)

func TestPaletteCompletesCommandThenArgument(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	press(m, ":")
	typeText(m, "mo")
	press(m, "tab")
	if got := m.palette.input.Value(); got != "model " {
		t.Fatalf(":mo + tab = %q, want %q", got, "model ")
	}
	typeText(m, "cr")
	press(m, "tab")
	if got := m.palette.input.Value(); got != "model credit-risk" {
		t.Fatalf(":model cr + tab = %q, want %q", got, "model credit-risk")
	}
	press(m, "enter")
	if got := m.Stack(); len(got) != 2 || got[1] != "credit-risk" {
		t.Fatalf("stack after :model credit-risk = %v", got)
	}
	if top := ansi.Strip(strings.SplitN(view(m), "\n", 2)[0]); !strings.Contains(top, "mltop › credit-risk") {
		t.Errorf("breadcrumbs missing in %q", top)
	}
}

func TestPaletteCandidatesNarrowAsYouType(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	press(m, ":")
	if n := len(m.palette.cands); n != len(commands) {
		t.Errorf("empty command line lists %d candidates, want every command (%d)", n, len(commands))
	}
	typeText(m, "th")
	if words := candidateWords(m); strings.Join(words, ",") != "theme" {
		t.Errorf(":th candidates = %v", words)
	}
	typeText(m, "eme l")
	if words := candidateWords(m); len(words) == 0 || words[0] != "light" {
		t.Errorf(":theme l candidates = %v, want light first", words)
	}
	// Several candidates: tab extends to what they share, and when they
	// share no more it takes the highlighted one; ↓ moves the highlight.
	press(m, "esc", ":")
	typeText(m, "q")
	if words := candidateWords(m); strings.Join(words, ",") != "quit" {
		t.Errorf(":q candidates = %v", words)
	}
	press(m, "esc", ":")
	typeText(m, "range 1")
	if words := candidateWords(m); strings.Join(words, ",") != "15m,1h" {
		t.Errorf(":range 1 candidates = %v", words)
	}
	press(m, "down", "tab")
	if got := m.palette.input.Value(); got != "range 1h" {
		t.Errorf("tab on the second candidate gave %q", got)
	}
	press(m, "esc", ":")
	typeText(m, "range 1")
	press(m, "tab")
	if got := m.palette.input.Value(); got != "range 15m" {
		t.Errorf("tab on the first candidate gave %q", got)
	}
	press(m, "esc", ":")
	typeText(m, "the")
	press(m, "tab")
	typeText(m, "high")
	press(m, "tab")
	if got := m.palette.input.Value(); got != "theme high-contrast" {
		t.Errorf("completing a theme gave %q", got)
	}
}

func candidateWords(m *Model) []string {
	var out []string
	for _, c := range m.palette.cands {
		out = append(out, c.word)
	}
	return out
}

func TestPaletteRangeSetsRangeAndTellsScreens(t *testing.T) {
	hist := &recordingHistory{}
	c := newTestCommon("dark")
	c.History = hist
	m := newRoot(t, "dark", 120, 40, Options{Common: c, Screens: fakeScreens})
	m.Update(common.OpenModelMsg{Model: "credit-risk"})
	press(m, ":")
	typeText(m, "range 6h")
	cmd := press(m, "enter")
	if c.Range != 6*time.Hour {
		t.Fatalf("range = %v, want 6h", c.Range)
	}
	uitest.Run(cmd)
	if got := hist.asked(); len(got) == 0 || got[len(got)-1] != 6*time.Hour {
		t.Errorf("detail asked for history with %v, want 6h last", got)
	}
	press(m, ":")
	typeText(m, "range 7h")
	press(m, "enter")
	if c.Range != 6*time.Hour || !strings.Contains(m.flash.text, "15m, 1h, 6h, 24h") {
		t.Errorf("bad range: range %v, message %q", c.Range, m.flash.text)
	}
}

func TestPaletteThemeSwitches(t *testing.T) {
	screens, themeChanges := countingScreens()
	m := newRoot(t, "dark", 120, 40, Options{Screens: screens})
	press(m, ":")
	typeText(m, "theme light")
	press(m, "enter")
	if got := m.c.Theme.Palette.Name; got != "light" {
		t.Fatalf("theme = %q, want light", got)
	}
	if *themeChanges != 1 {
		t.Errorf("screens told of %d theme changes, want 1", *themeChanges)
	}
	press(m, ":")
	typeText(m, "theme no-color")
	press(m, "enter")
	if !m.c.Theme.NoColor {
		t.Error(":theme no-color kept colours")
	}
	press(m, ":")
	typeText(m, "theme purple")
	press(m, "enter")
	if !m.c.Theme.NoColor || !strings.Contains(m.flash.text, "unknown theme") {
		t.Errorf("unknown theme: no-color %v, message %q", m.c.Theme.NoColor, m.flash.text)
	}
}

func TestPaletteErrorsInPlainWords(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	cases := []struct{ line, want string }{
		{"frobnicate", `unknown command "frobnicate"`},
		{"model", ":model needs NAME"},
		{"model nosuch", `no model named "nosuch"`},
	}
	for _, tc := range cases {
		press(m, ":")
		typeText(m, tc.line)
		press(m, "enter")
		if !strings.Contains(m.flash.text, tc.want) || !m.flash.isErr {
			t.Errorf(":%s said %q, want %q", tc.line, m.flash.text, tc.want)
		}
		bottom := ansi.Strip(view(m)[strings.LastIndex(view(m), "\n")+1:])
		if !strings.Contains(bottom, tc.want) {
			t.Errorf(":%s: key line %q does not show the error", tc.line, bottom)
		}
	}
	if got := m.Stack(); len(got) != 1 {
		t.Errorf("a failed command changed the stack: %v", got)
	}
	// The next key clears the message.
	press(m, "j")
	if m.flash.text != "" {
		t.Errorf("message %q outlived the next key", m.flash.text)
	}
}

func TestPaletteEnterTakesHighlightedArgument(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	press(m, ":")
	typeText(m, "model pay")
	press(m, "enter")
	if got := m.Stack(); len(got) != 2 || got[1] != "payments-fraud" {
		t.Errorf(":model pay + enter opened %v", got)
	}
}

func TestPaletteQuitHelpFilter(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	for _, line := range []string{"q", "quit"} {
		press(m, ":")
		typeText(m, line)
		if cmd := press(m, "enter"); !isQuit(cmd) {
			t.Errorf(":%s did not quit", line)
		}
	}
	press(m, ":")
	typeText(m, "help")
	press(m, "enter")
	if m.overlay != overlayHelp {
		t.Error(":help did not open the help")
	}
	press(m, "esc", ":")
	typeText(m, "filter credit")
	press(m, "enter")
	if m.Filter() != "credit" {
		t.Errorf(":filter credit set %q", m.Filter())
	}
	text := ansi.Strip(view(m))
	if strings.Contains(text, "payments-fraud") || !strings.Contains(text, "credit-risk") {
		t.Errorf("fleet not filtered:\n%s", text)
	}
}

func TestPaletteEscCancels(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	press(m, ":")
	typeText(m, "quit")
	if cmd := press(m, "esc"); isQuit(cmd) || m.overlay != overlayNone {
		t.Error("esc ran the command or left the palette open")
	}
	// While typing, q is a letter, not quit.
	press(m, ":")
	if cmd := press(m, "q"); isQuit(cmd) {
		t.Error("q typed in the palette quit")
	}
}
