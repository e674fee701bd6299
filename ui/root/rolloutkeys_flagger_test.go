package root

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/actions"
)

// With kind flagger the same keys follow Flagger's rules: F and Y are
// greyed with why Flagger has no lever for them, A only while the canary
// is under way, and Z pauses (closes the gate) even before one starts.
func TestRolloutKeysUnderFlagger(t *testing.T) {
	m, fx := actionRoot(t, 200, 50, nil)
	fx.specs = nil
	for _, v := range []struct{ action, key, title string }{
		{actions.RolloutAbort, "A", "Abort rollout"}, {actions.RolloutPromote, "P", "Promote rollout"},
		{actions.RolloutPromoteFull, "F", "Promote rollout fully"}, {actions.RolloutPause, "Z", "Pause rollout"},
		{actions.RolloutResume, "Z", "Resume rollout"}, {actions.RolloutRetry, "Y", "Retry rollout"},
	} {
		fx.specs = append(fx.specs, actions.Spec{Action: v.action, Key: v.key, Title: v.title, Kind: "flagger", Role: "operator"})
	}
	// payments-fraud's rollout is Healthy.
	press(m, "F")
	if !strings.HasPrefix(m.flash.text, "Flagger's manual gating has no lever to skip the analysis") {
		t.Errorf("F says %q", m.flash.text)
	}
	press(m, "Y")
	if !strings.HasPrefix(m.flash.text, "Flagger has no retry") {
		t.Errorf("Y says %q", m.flash.text)
	}
	press(m, "A")
	if want := "abort rollout only while the canary is under way (Flagger checks the gates only then); it is Healthy"; m.flash.text != want {
		t.Errorf("A on a healthy canary says %q, want %q", m.flash.text, want)
	}
	if help := helpText(m); !strings.Contains(help, "retry rollout (Flagger has no retry") {
		t.Errorf("help: %q", help)
	}
	deliver(m, press(m, "Z"))
	if plans, _ := fx.counts(); plans != 1 || fx.planned[0].Action != actions.RolloutPause || fx.planned[0].Model != "payments-fraud" {
		t.Fatalf("Z on a healthy canary planned %+v", fx.planned)
	}
}
