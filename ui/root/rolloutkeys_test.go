package root

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/actions"
)

// The rollout verbs' keys follow the rollout as the snapshot shows it:
// greyed with the rule when its phase forbids them, and Z pauses a
// running rollout but resumes a paused one.
func TestRolloutKeysFollowTheRolloutState(t *testing.T) {
	m, fx := actionRoot(t, 200, 50, nil)
	fx.specs = nil
	for _, v := range []struct{ action, key, title string }{
		{actions.RolloutAbort, "A", "Abort rollout"}, {actions.RolloutPromote, "P", "Promote rollout"},
		{actions.RolloutPromoteFull, "F", "Promote rollout fully"}, {actions.RolloutPause, "Z", "Pause rollout"},
		{actions.RolloutResume, "Z", "Resume rollout"}, {actions.RolloutRetry, "Y", "Retry rollout"},
	} {
		fx.specs = append(fx.specs, actions.Spec{Action: v.action, Key: v.key, Title: v.title, Kind: "argo-rollouts", Role: "operator"})
	}
	// payments-fraud's rollout is Healthy.
	if line := ansi.Strip(m.actionHints()); !strings.Contains(line, "APFZY rollout") {
		t.Errorf("key line on a healthy rollout: %q", line)
	}
	if help := helpText(m); !strings.Contains(help, "pause rollout") || strings.Contains(help, "resume rollout") {
		t.Errorf("help on a healthy rollout: %q", help)
	}
	press(m, "A")
	if want := "abort rollout only while the rollout is progressing or paused; it is Healthy"; m.flash.text != want {
		t.Errorf("A on a healthy rollout says %q, want %q", m.flash.text, want)
	}
	press(m, "down", "down") // credit-risk: a canary paused at step 2/4
	if help := helpText(m); !strings.Contains(help, "resume rollout") || strings.Contains(help, "pause rollout") ||
		!strings.Contains(help, "retry rollout (retry rollout only when the rollout is aborted; it is Paused)") {
		t.Errorf("help on a paused rollout: %q", help)
	}
	press(m, "Y")
	if want := "retry rollout only when the rollout is aborted; it is Paused"; m.flash.text != want {
		t.Errorf("Y on a paused rollout says %q, want %q", m.flash.text, want)
	}
	deliver(m, press(m, "Z"))
	if plans, _ := fx.counts(); plans != 1 || fx.planned[0].Action != actions.RolloutResume || fx.planned[0].Model != "credit-risk" {
		t.Fatalf("Z on a paused rollout planned %+v", fx.planned)
	}
	// The plan is asked with the judge's verdict of the canary, taken from
	// the same snapshot, as its evidence.
	ev := fx.planned[0].Evidence
	if ev == nil || ev.Model != "credit-risk" || ev.Outcome == "" || ev.Why == "" {
		t.Errorf("Z planned with evidence %+v, want the verdict of credit-risk's canary", ev)
	}
}

// helpText is the action keys of the help overlay, one "key desc" a line.
func helpText(m *Model) string {
	var b strings.Builder
	for _, col := range m.actionHelp() {
		for _, k := range col {
			b.WriteString(k.Help().Key + " " + k.Help().Desc + "\n")
		}
	}
	return b.String()
}
