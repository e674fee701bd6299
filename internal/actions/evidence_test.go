package actions

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
)

func ptr(f float64) *float64 { return &f }

var failVerdict = fleet.Verdict{Model: "fraud", Candidate: "12", Baseline: "11", Outcome: fleet.VerdictFail, Window: time.Hour,
	Why: "v12 is significantly worse than v11 on error rate",
	Rows: []fleet.VerdictRow{
		{Quantity: "error_rate", Method: "msprt two-proportion", Candidate: ptr(0.012), Baseline: ptr(0.003), Comparison: "worse", PValue: ptr(0.003)},
		{Quantity: "latency", Method: "ks", Comparison: "same"},
	}}

// The verdict reads as operators need it: versions, window, outcome, and
// for a fail each worse quantity with its difference and p-value.
func TestEvidenceText(t *testing.T) {
	pass := fleet.Verdict{Candidate: "12", Baseline: "11", Outcome: fleet.VerdictPass, Window: time.Hour,
		Why: "v12 is not significantly worse than v11 on error rate, latency"}
	few := fleet.Verdict{Candidate: "12", Outcome: fleet.VerdictNotEnough, Window: time.Hour, Why: "v12 has 40 requests in the window"}
	for _, c := range []struct {
		v          *fleet.Verdict
		mark, want string
	}{
		{&failVerdict, "✖", "v12 vs v11 over 1h: fail — significantly worse on error rate (+0.9pp, always-valid p .003)"},
		{&pass, "✔", "v12 vs v11 over 1h: pass — v12 is not significantly worse than v11 on error rate, latency"},
		{&few, "?", "not enough data: v12 has 40 requests in the window"},
		{nil, "?", "not enough data: no verdict was taken for this plan"},
	} {
		if got := EvidenceText(c.v); got != c.want {
			t.Errorf("EvidenceText = %q, want %q", got, c.want)
		}
		if got := EvidenceMark(c.v); got != c.mark {
			t.Errorf("EvidenceMark = %q, want %q", got, c.mark)
		}
	}
}

// Every rollout verb's plan carries the request's verdict; the audit
// record keeps its outcome. A retrain's plan carries none.
func TestRolloutPlanCarriesEvidence(t *testing.T) {
	f := newFakeKube(t)
	e := f.executor(t)
	for _, action := range []string{RolloutAbort, RolloutPromote, RolloutPromoteFull, RolloutResume} {
		p, err := e.Plan(context.Background(), Request{Action: action, Model: "fraud", Actor: operator, Evidence: &failVerdict})
		if err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		if p.Evidence == nil || p.Evidence.Outcome != fleet.VerdictFail {
			t.Errorf("%s: plan evidence %+v, want the fail verdict", action, p.Evidence)
		}
	}
	p, _ := e.Plan(context.Background(), Request{Action: RolloutAbort, Model: "fraud", Actor: operator, Evidence: &failVerdict})
	r := e.Execute(context.Background(), Request{ID: p.ID, Action: RolloutAbort, Model: "fraud", Reason: "bad canary", Actor: operator, Evidence: &failVerdict})
	if r.Outcome != Succeeded {
		t.Fatalf("abort: %s %s", r.Outcome, r.Message)
	}
	recs, _, err := audit.Read(e.audit.Path())
	if err != nil {
		t.Fatal(err)
	}
	final := audit.Latest(recs)
	if len(final) != 1 || final[0].Before["verdict"] != "fail" {
		t.Fatalf("audit records %+v: want one whose before says verdict fail", final)
	}
	// Without a verdict the record says none rather than leaving it out.
	p, _ = e.Plan(context.Background(), Request{Action: RolloutPause, Model: "fraud", Actor: operator})
	if p.Evidence != nil {
		t.Errorf("pause without a verdict: evidence %+v", p.Evidence)
	}
}

// A rollout paused at its pause step says until when: a timed pause its
// end, one without a duration that it waits to be promoted.
func TestRolloutPauseSaysUntilWhen(t *testing.T) {
	for _, c := range []struct {
		duration, want string
	}{
		{``, "CanaryPauseStep since 05:50 UTC until promoted"},
		{`,"duration":"10m"`, "CanaryPauseStep since 05:50 UTC until 06:00 UTC"},
		{`,"duration":90`, "CanaryPauseStep since 05:50 UTC until 05:51 UTC"},
	} {
		obj := strings.Replace(fakeRollout, `{"pause":{}}`, `{"pause":{"x":0`+c.duration+`}}`, 1)
		r, err := parseRollout([]byte(obj))
		if err != nil {
			t.Fatal(err)
		}
		// The fake is also paused by a person: that comes first.
		if got := r.pausedBy(); got != "paused by a person; "+c.want {
			t.Errorf("duration %q: %q, want %q", c.duration, got, c.want)
		}
	}
}

// The plan reads the current step's analysis run: each metric's phase and
// last measured value, and the run's message. A run that cannot be read
// (no RBAC rule for it) is said so, and the plan goes on.
func TestRolloutPlanReadsTheStepsAnalysis(t *testing.T) {
	const withRun = `"currentStepIndex":1,"canary":{"currentStepAnalysisRunStatus":{"name":"fraud-6d4b8c9f7-3-1","status":"Running"}},`
	for _, c := range []struct {
		analysis string
		want     []string
	}{
		{`{"status":{"phase":"Failed","message":"Metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0)",
			"metricResults":[{"name":"error-rate","phase":"Failed","measurements":[{"value":"0.031","phase":"Failed"}]},
			{"name":"latency","phase":"Running","measurements":[]}]}}`,
			[]string{"analysis fraud-6d4b8c9f7-3-1 Failed: error-rate Failed (measured 0.031); latency Running",
				`analysis says: Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)`}},
		{"", []string{"analysis fraud-6d4b8c9f7-3-1 Running: could not read it: HTTP 403 Forbidden: the token may not get analysisruns in default (RBAC)"}},
	} {
		f := newFakeKube(t)
		f.obj = strings.Replace(fakeRollout, `"currentStepIndex":1,`, withRun, 1)
		f.analysis = c.analysis
		p, err := f.executor(t).Plan(context.Background(), Request{Action: RolloutAbort, Model: "fraud", Actor: operator})
		if err != nil || p.Refusal != "" {
			t.Fatalf("plan: %v, refusal %q", err, p.Refusal)
		}
		got := strings.Join(p.Changes, "\n")
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("changes lack %q:\n%s", w, got)
			}
		}
	}
}
