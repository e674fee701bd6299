package root

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/uitest"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/ui/common"
)

// deliver runs cmd and feeds what it returns back to the root, as Bubble
// Tea would, for commands that do not wait on timers.
func deliver(m *Model, cmd tea.Cmd) {
	for _, msg := range uitest.Run(cmd) {
		m.Update(msg)
	}
}

func top(m *Model) string {
	s := m.Stack()
	return s[len(s)-1]
}

func TestCompareCommandCompletesModelThenVersions(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	press(m, ":")
	typeText(m, "comp")
	press(m, "tab")
	if got := m.palette.input.Value(); got != "compare " {
		t.Fatalf(":comp + tab = %q", got)
	}
	typeText(m, "cre")
	press(m, "tab")
	if got := m.palette.input.Value(); got != "compare credit-risk" {
		t.Fatalf(":compare cre + tab = %q", got)
	}
	typeText(m, " ")
	if words := candidateWords(m); strings.Join(words, ",") != "11,12" {
		t.Fatalf("versions offered = %v", words)
	}
	if d := m.palette.cands[0].desc; d != "stable · champion" {
		t.Errorf("v11 described as %q", d)
	}
	typeText(m, "12 ")
	if words := candidateWords(m); strings.Join(words, ",") != "11" {
		t.Fatalf("second version offered = %v (the first one must not be)", words)
	}
	press(m, "tab")
	if got := m.palette.input.Value(); got != "compare credit-risk 12 11" {
		t.Fatalf("completed line = %q", got)
	}
	deliver(m, press(m, "enter"))
	if got := top(m); got != "compare v12 ↔ v11" {
		t.Fatalf("stack = %v", m.Stack())
	}
}

func TestCompareCommandDefaultPairAndVersionSpelling(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	press(m, ":")
	typeText(m, "compare search-ranker")
	deliver(m, press(m, "enter"))
	if got := top(m); got != "compare v21 ↔ v22" {
		t.Fatalf("default pair: stack = %v", m.Stack())
	}
	press(m, ":")
	typeText(m, "compare credit-risk v12 v11")
	deliver(m, press(m, "enter"))
	if got := m.Stack(); len(got) != 2 || got[1] != "compare v12 ↔ v11" {
		t.Fatalf("v-prefixed versions: stack = %v (a new compare replaces the old)", got)
	}
}

func TestCompareCommandErrors(t *testing.T) {
	cases := []struct{ line, want string }{
		{"compare", ":compare needs MODEL [A B]: the model, then two of its versions or none for the default pair"},
		{"compare nope", `no model named "nope"`},
		{"compare credit-risk 11 13", `credit-risk has no version "13" (versions: 11, 12)`},
		{"compare credit-risk 9 13", `credit-risk has no version "9"; credit-risk has no version "13" (versions: 11, 12)`},
		{"compare credit-risk 11", ":compare takes a model and two versions, or the model alone: compare credit-risk [A B]"},
		{"compare credit-risk 11 v11", "compare two different versions, not v11 with itself"},
	}
	for _, tc := range cases {
		// Run as typed: enter would complete a partly typed word first.
		m := newRoot(t, "dark", 120, 40, Options{})
		deliver(m, m.runCommand(tc.line))
		if m.flash.text != tc.want || !m.flash.isErr {
			t.Errorf(":%s said %q (error %v), want %q", tc.line, m.flash.text, m.flash.isErr, tc.want)
		}
		if len(m.Stack()) != 1 {
			t.Errorf(":%s opened %v", tc.line, m.Stack())
		}
	}
}

func TestUnknownCommandListsCompare(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	m.runCommand("comparr x")
	if !strings.Contains(m.flash.text, "compare") || !strings.Contains(m.flash.text, " or quit") {
		t.Errorf("unknown command: %q", m.flash.text)
	}
}

func TestCompareKeyFromDetailAndFleet(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	m.Update(common.OpenModelMsg{Model: "credit-risk"})
	deliver(m, press(m, "c"))
	if got := m.Stack(); len(got) != 3 || got[1] != "credit-risk" || got[2] != "compare v11 ↔ v12" {
		t.Fatalf("c on the detail screen: stack = %v", got)
	}
	press(m, "esc")
	if got := top(m); got != "credit-risk" {
		t.Fatalf("esc from compare: stack = %v", m.Stack())
	}
	press(m, "esc")
	// Back on the fleet the cursor is on the model opened, not on the top row.
	if got := m.stack[0].(selector).Selected(); got != "credit-risk" {
		t.Fatalf("back on the fleet the cursor is on %q, want credit-risk", got)
	}
	press(m, "g")
	deliver(m, press(m, "c"))
	// The fleet's top row is the worst model, payments-fraud, with one version.
	if got := m.Stack(); len(got) != 2 || got[1] != "compare" {
		t.Fatalf("c on the fleet: stack = %v", got)
	}
	if v := ansi.Strip(view(m)); !strings.Contains(v, "payments-fraud has one version (v8): there is nothing to compare it with") {
		t.Errorf("compare screen not drawn:\n%s", v)
	}
}

func TestCompareWithFakeScreensWithoutCompare(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{Screens: fakeScreens})
	cmd := m.runCommand("compare credit-risk")
	deliver(m, cmd)
	if m.flash.text != "no compare screen in this build" {
		t.Errorf("flash = %q", m.flash.text)
	}
}
