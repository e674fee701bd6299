package actions

import (
	"slices"
	"testing"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

// A retrain of a name that neither the metrics (no snapshot model) nor the
// registry (404) know is a typo: refused before anything is sent, naming
// the models it could have meant.
func TestRetrainOfAModelKnownNowhereIsRefusedWithTheNamesMeant(t *testing.T) {
	reg := newRegistry(t)
	reg.others = []string{"churn-predictor", "credit-risk", "fraud-detector", "fraud-detector-eu", "search-ranker"}
	rc := newReceiver(t, nil)
	f := newFixture(t, config.Actions{Retrain: config.Action{Kind: "webhook", URL: rc.URL}}, reg.client)
	req := Request{Action: Retrain, Model: "fraud-detecter", Reason: "drift", Actor: f.actor}
	p, err := f.ex.Plan(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	want := `no model "fraud-detecter" in the metrics or the registry (the registry says it does not exist); did you mean fraud-detector, fraud-detector-eu?`
	if p.Refusal != want {
		t.Errorf("plan refusal %q\nwant          %q", p.Refusal, want)
	}
	req.ID = p.ID
	res := f.ex.Execute(ctx(t), req)
	if res.Outcome != Refused || res.Message != want {
		t.Errorf("outcome %s: %q", res.Outcome, res.Message)
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("%d retrain requests sent for an unknown model", n)
	}
	if got := f.states(t, res.ID); !slices.Equal(got, []audit.State{audit.Refused}) {
		t.Errorf("recorded %v", got)
	}

	// Known to the registry, or to the metrics: sent as before.
	for _, r := range []Request{
		{Action: Retrain, Model: "credit-risk", Confirm: "credit-risk", Reason: "drift", Actor: f.actor},
		{Action: Retrain, Model: "served-only", Reason: "drift", Actor: f.actor, Snapshot: driftingModel()},
	} {
		if res := f.ex.Execute(ctx(t), r); res.Outcome != Succeeded {
			t.Errorf("%s: %s %q", r.Model, res.Outcome, res.Message)
		}
	}
	if n := len(rc.requests()); n != 2 {
		t.Errorf("%d retrain requests, want 2", n)
	}
}
