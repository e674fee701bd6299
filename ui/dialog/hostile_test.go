package dialog

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/ui/uitest"
)

// TestHostileTextIsDrawnCleaned: a plan and an outcome whose every text
// came from a hostile registry or webhook draw nothing but text and
// colours, in the dialog and in the status line's one-line outcome.
func TestHostileTextIsDrawnCleaned(t *testing.T) {
	const h = uitest.Hostile
	p := rollbackPlan()
	p.Target += h
	p.DefaultFrom += h
	p.Changes = []string{"alias champion: 8 → 7" + h}
	p.Meaning += h
	p.Warnings = []string{"could not read the registry: " + h}
	for i := range p.Candidates {
		p.Candidates[i].Description += h
		p.Candidates[i].Aliases = append(p.Candidates[i].Aliases, "alias"+h)
	}
	m, _ := open(t, p, 100, 30)
	if r, bad := uitest.TerminalActs(m.View()); bad {
		t.Fatalf("the plan draws %U:\n%q", r, m.View())
	}
	focusOn(t, m, fieldTyped)
	typeText(m, p.Model)
	focusOn(t, m, fieldReason)
	typeText(m, "incident")
	focusOn(t, m, fieldConfirm)
	press(m, "enter")
	res := actions.Result{ID: testID, Action: actions.Rollback, Model: p.Model, Outcome: actions.Unknown, Status: 502,
		Message: "mlflow says " + h, Check: "look at " + h, RunID: "run" + h, RunURL: "https://ci.example/" + h, Recorded: true}
	m.Update(DoneMsg{ID: testID, Result: res})
	view := m.View()
	if r, bad := uitest.TerminalActs(view); bad {
		t.Fatalf("the outcome draws %U:\n%q", r, view)
	}
	if !strings.Contains(uitest.Plain(m), "mlflow says") {
		t.Fatalf("the outcome is not drawn:\n%s", uitest.Plain(m))
	}
	if text, _ := ResultText(m.c.Glyphs, res); strings.ContainsAny(text, "\x1b\x07\r\n\u009b\u202e") {
		t.Errorf("status line outcome %q", text)
	}
}

// TestHostileCandidateVersionWhileReplanning: the version a hostile
// registry named is cleaned in "wait for the plan of v…" too.
func TestHostileCandidateVersionWhileReplanning(t *testing.T) {
	p := rollbackPlan()
	p.Candidates[0].Version += uitest.Hostile
	m, _ := open(t, p, 100, 30)
	m.pick, m.replanning = 0, true
	for _, s := range m.missing() {
		if r, bad := uitest.TerminalActs(s); bad {
			t.Fatalf("missing() says %U: %q", r, s)
		}
	}
}
