package root

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

var twoContexts = []common.ContextInfo{{Name: "prod-eu", Color: "red", Host: "prom.eu:9090"}, {Name: "staging", Host: "prom.stg:9090"}}

// Without contexts :ctx says so, and nothing else changes.
func TestCtxWithoutContexts(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	before := m.Stack()
	press(m, ":")
	typeText(m, "ctx prod")
	cmd := press(m, "enter")
	if msgs := uitest.Run(cmd); len(msgs) != 0 {
		t.Fatalf(":ctx without contexts asked for %v", msgs)
	}
	if !strings.Contains(ansi.Strip(view(m)), noContexts) {
		t.Fatalf("no word on contexts:\n%s", ansi.Strip(view(m)))
	}
	if got := m.Stack(); len(got) != len(before) {
		t.Fatalf("stack changed: %v", got)
	}
	if !strings.Contains(statusOf(m), "demo") {
		t.Fatalf("the host text went: %q", statusOf(m))
	}
}

// :ctx asks for the list, :ctx all for the merged view, :ctx NAME for a
// switch; a name that is no context is said, with the nearest one.
func TestCtxCommands(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{Contexts: twoContexts, ContextName: "prod-eu", ContextColor: "red"})
	run := func(line string) []any {
		press(m, ":")
		typeText(m, line)
		var out []any
		for _, msg := range uitest.Run(press(m, "enter")) {
			out = append(out, msg)
		}
		return out
	}
	if got := run("ctx"); len(got) != 1 || got[0] != (common.ListContextsMsg{}) {
		t.Fatalf(":ctx = %v", got)
	}
	if got := run("ctx all"); len(got) != 1 || got[0] != (common.AllContextsMsg{}) {
		t.Fatalf(":ctx all = %v", got)
	}
	if got := run("ctx staging"); len(got) != 1 || got[0] != (common.SwitchContextMsg{Name: "staging"}) {
		t.Fatalf(":ctx staging = %v", got)
	}
	if got := run("ctx stagin"); len(got) != 1 || got[0] != (common.SwitchContextMsg{Name: "staging"}) {
		t.Fatalf(":ctx stagin (completed on enter) = %v", got)
	}
	if got := run("ctx qa"); len(got) != 0 || !strings.Contains(ansi.Strip(view(m)), `no context named "qa"`) {
		t.Fatalf(":ctx qa = %v\n%s", got, ansi.Strip(view(m)))
	}
	if !strings.HasPrefix(statusOf(m), " mltop prod-eu") {
		t.Fatalf("status line = %q", statusOf(m))
	}
}

// :ctx completes the context names, then all.
func TestCtxCompletes(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{Contexts: twoContexts, ContextName: "prod-eu"})
	press(m, ":")
	typeText(m, "ctx ")
	if words := candidateWords(m); strings.Join(words, ",") != "prod-eu,staging,all" {
		t.Fatalf("offered %v", words)
	}
	typeText(m, "st")
	press(m, "tab")
	if got := m.palette.input.Value(); got != "ctx staging" {
		t.Fatalf("completed %q", got)
	}
}

// In the merged view, enter and :model open the model in its context;
// action keys are refused with the reason and nothing is planned.
func TestMergedViewOpensInContext(t *testing.T) {
	fx := newFakeExecutor()
	c := newTestCommon("dark")
	s := *c.Snapshot
	s.Models = append([]fleet.Model(nil), s.Models...)
	for i := range s.Models {
		s.Models[i].Context = "prod-eu"
		s.Models[i].Name = common.MergedModelName("prod-eu", s.Models[i].Name)
	}
	c.Snapshot = &s
	m := newRoot(t, "dark", 120, 40, Options{Common: c, Contexts: twoContexts, ContextName: common.AllContexts, Merged: true, Actions: fx})
	sel := m.FleetSelected()
	want := common.SwitchContextMsg{Name: "prod-eu", Model: strings.TrimPrefix(sel, "prod-eu/")}
	for _, msg := range uitest.Run(press(m, "enter")) {
		m.Update(msg) // the fleet's open-model message
	}
	if got := m.Stack(); len(got) != 1 {
		t.Fatalf("the merged view opened a screen itself: %v", got)
	}
	press(m, ":")
	typeText(m, "model "+sel)
	if got := uitest.Run(press(m, "enter")); len(got) != 1 || got[0] != want {
		t.Fatalf(":model %s = %v, want %v", sel, got, want)
	}
	if cmd := press(m, "R"); cmd != nil {
		uitest.Run(cmd)
	}
	if !strings.Contains(ansi.Strip(view(m)), common.CrossContextRefusal) {
		t.Fatalf("R said nothing:\n%s", ansi.Strip(view(m)))
	}
	if plans, _ := fx.counts(); plans != 0 {
		t.Fatalf("%d plans asked across contexts", plans)
	}
}

// However narrow the window, the status line begins with the context's
// name: the app's name gives way first.
func TestContextNameFirstWhenNarrow(t *testing.T) {
	for w := 4; w <= 40; w++ {
		m := newRoot(t, "dark", w, 10, Options{Contexts: twoContexts, ContextName: "production-eu-west-1", ContextColor: "red"})
		got := statusOf(m)
		want := "production-eu-west-1"
		if w <= len(" mltop ")+len(want) {
			want = want[:min(len(want), w-2)]
		}
		if !strings.Contains(got, want) {
			t.Fatalf("width %d: status line %q lacks %q", w, got, want)
		}
	}
}

// :alerts in the merged view says alerts are each context's, and opens
// no alerts screen: one with no source would read as no alerts anywhere.
func TestMergedViewRefusesAlerts(t *testing.T) {
	c := newTestCommon("dark")
	m := newRoot(t, "dark", 120, 40, Options{Common: c, Contexts: twoContexts, ContextName: common.AllContexts, Merged: true})
	for _, line := range []string{"alerts", "alerts " + c.Snapshot.Models[0].Name} {
		press(m, ":")
		typeText(m, line)
		for _, msg := range uitest.Run(press(m, "enter")) {
			m.Update(msg)
		}
		if got := m.Stack(); len(got) != 1 {
			t.Fatalf(":%s opened %v in the merged view", line, got)
		}
		if !strings.Contains(ansi.Strip(view(m)), common.AlertsPerContext) {
			t.Fatalf(":%s said nothing:\n%s", line, ansi.Strip(view(m)))
		}
	}
}
