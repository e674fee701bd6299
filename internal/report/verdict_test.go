package report

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// verdictSnapshot has model fraud with a stable 8 and a canary 9, and a
// registry-only model.
func verdictSnapshot() fleet.Snapshot {
	return fleet.Snapshot{
		TakenAt: time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC),
		Sources: []fleet.SourceStatus{{Name: "prometheus", Kind: "prometheus", OK: true}, {Name: "mlflow", Kind: "mlflow", OK: true}},
		Queries: []fleet.QueryStatus{{Name: "verdict_counts", Role: fleet.RoleVerdictCounts, Source: "prometheus", OK: true, Series: 4}},
		Models: []fleet.Model{
			{Name: "fraud-detector", ServingName: "fraud", Serving: true, Versions: []fleet.Version{
				{Version: "8", Track: fleet.TrackStable}, {Version: "9", Track: fleet.TrackCanary}, {Version: "10"},
			}},
			{Name: "churn", InRegistry: true},
		},
	}
}

// fixedJudge answers outcome for any model, with the candidate asked for
// (or 9), and records what it was asked.
type fixedJudge struct {
	outcome fleet.VerdictOutcome
	rows    []fleet.VerdictRow
	asked   []string
}

func (j *fixedJudge) judge(s *fleet.Snapshot, model, candidate string) fleet.Verdict {
	m, err := FindModel(*s, model)
	if err != nil {
		panic("the judge was asked for an unknown model: " + model)
	}
	j.asked = append(j.asked, m.Name+"/"+candidate)
	if candidate == "" {
		candidate = "9"
	}
	return fleet.Verdict{Model: m.Name, Candidate: candidate, Baseline: "8", Outcome: j.outcome,
		Why: "error_rate: " + string(j.outcome), Window: time.Hour, Rows: j.rows}
}

func fp(v float64) *float64 { return &v }

func TestVerdictCodes(t *testing.T) {
	for outcome, want := range map[string]int{"pass": 0, "fail": 1, "not_enough_data": 2, "": 2, "nonsense": 2} {
		if got := VerdictCode(outcome); got != want {
			t.Errorf("VerdictCode(%q) = %d, want %d", outcome, got, want)
		}
	}
}

// The model is found by its registered name or its metrics name; a typo
// is an UnknownError naming the closest models; a version the model does
// not have names its versions.
func TestJudgeVerdictFindsModelAndCandidate(t *testing.T) {
	s := verdictSnapshot()
	j := &fixedJudge{outcome: fleet.VerdictPass}
	for _, name := range []string{"fraud-detector", "fraud"} {
		doc, err := JudgeVerdict(s, CheckInput{}, name, "", j.judge)
		if err != nil || doc.Model != "fraud-detector" || doc.Candidate != "9" || doc.Outcome != "pass" {
			t.Errorf("%s: %+v, %v", name, doc, err)
		}
	}
	_, err := JudgeVerdict(s, CheckInput{}, "fraud-detecter", "", j.judge)
	var u *UnknownError
	if !errors.As(err, &u) || u.What != "model" || len(u.Near) != 1 || u.Near[0] != "fraud-detector" {
		t.Fatalf("typo: %v (%+v)", err, u)
	}
	if want := `no model "fraud-detecter" in the snapshot; did you mean fraud-detector?`; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
	_, err = JudgeVerdict(s, CheckInput{}, "fraud", "19", j.judge)
	if !errors.As(err, &u) || u.What != "version" || !strings.Contains(err.Error(), `model "fraud-detector" has no version "19"; did you mean`) {
		t.Fatalf("unknown version: %v", err)
	}
	if len(j.asked) != 2 {
		t.Errorf("the judge was asked %v; an unknown name must not reach it", j.asked)
	}
}

// A judge that finds no candidate (no canary, shadow or challenger) is an
// unknown candidate, not a verdict.
func TestJudgeVerdictNoCandidate(t *testing.T) {
	none := func(_ *fleet.Snapshot, model, _ string) fleet.Verdict {
		return fleet.Verdict{Model: model, Outcome: fleet.VerdictNotEnough, Why: "no candidate"}
	}
	_, err := JudgeVerdict(verdictSnapshot(), CheckInput{}, "churn", "", none)
	var u *UnknownError
	if !errors.As(err, &u) || !u.NoCandidate || !strings.Contains(err.Error(), "has no candidate version") {
		t.Fatalf("%v", err)
	}
}

// A pass is given only on a complete picture: a failed metric source, a
// failed query a row rests on, or a short wait make it "not enough data",
// saying why. A failed registry does not (it gives no counts), nor does a
// query no row rests on. A fail stands.
func TestJudgeVerdictPassNeedsACompletePicture(t *testing.T) {
	cases := []struct {
		name   string
		change func(*fleet.Snapshot, *CheckInput)
		want   string
		why    string
	}{
		{"complete", func(*fleet.Snapshot, *CheckInput) {}, "pass", "error_rate: pass"},
		{"registry down", func(s *fleet.Snapshot, _ *CheckInput) {
			s.Sources[1].OK, s.Sources[1].Error = false, "connection refused"
		},
			"pass", "error_rate: pass"},
		{"prometheus down", func(s *fleet.Snapshot, _ *CheckInput) {
			s.Sources[0].OK, s.Sources[0].Error = false, "connection refused"
		},
			"not_enough_data", "cannot tell: prometheus failed (connection refused)"},
		{"query failed", func(s *fleet.Snapshot, _ *CheckInput) {
			s.Queries[0].OK, s.Queries[0].Error = false, "timed out after 5s"
		},
			"not_enough_data", "cannot tell: prometheus query verdict_counts failed (timed out after 5s)"},
		{"a query no row rests on failed", func(s *fleet.Snapshot, _ *CheckInput) {
			s.Queries = append(s.Queries, fleet.QueryStatus{Name: "drift_score", Role: fleet.RoleDriftScore, Source: "prometheus", Error: "timed out"})
		}, "pass", "error_rate: pass"},
		{"short wait", func(_ *fleet.Snapshot, in *CheckInput) { in.ShortWait = "the wait ended early" },
			"not_enough_data", "cannot tell: the wait ended early (on what answered: error_rate: pass)"},
	}
	for _, c := range cases {
		s, in := verdictSnapshot(), CheckInput{}
		c.change(&s, &in)
		doc, err := JudgeVerdict(s, in, "fraud", "", (&fixedJudge{outcome: fleet.VerdictPass}).judge)
		if err != nil || doc.Outcome != c.want || !strings.HasPrefix(doc.Why, c.why) {
			t.Errorf("%s: outcome %q why %q (%v), want %q %q", c.name, doc.Outcome, doc.Why, err, c.want, c.why)
		}
		fail, _ := JudgeVerdict(s, in, "fraud", "", (&fixedJudge{outcome: fleet.VerdictFail}).judge)
		if fail.Outcome != "fail" || fail.Why != "error_rate: fail" {
			t.Errorf("%s: a fail became %q: %s", c.name, fail.Outcome, fail.Why)
		}
	}
}

// The JSON shape: every documented field, unknown and non-finite numbers
// null (encoding/json cannot write NaN), samples as numbers.
func TestVerdictJSONShape(t *testing.T) {
	j := &fixedJudge{outcome: fleet.VerdictNotEnough, rows: []fleet.VerdictRow{
		{Quantity: "error_rate", Method: "msprt two-proportion", Candidate: fp(0.02), Baseline: fp(0.01),
			CandidateSamples: 120, BaselineSamples: 24000, Comparison: "same", PValue: fp(0.4),
			Interval: &[2]float64{-0.01, 0.03}, NeedMore: "≈ 12,400 more requests to detect +1 pp"},
		{Quantity: "latency", Method: "ks", Candidate: fp(math.NaN()), CandidateSamples: math.Inf(1),
			Comparison: "unknown", Interval: &[2]float64{math.NaN(), 1}, Why: "no latency histogram"},
	}}
	doc, err := JudgeVerdict(verdictSnapshot(), CheckInput{}, "fraud", "9", j.judge)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteVerdict(&b, doc, "json"); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(b.String()), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	for _, k := range []string{"model", "candidate", "baseline", "outcome", "why", "window_seconds", "taken_at", "rows", "failures"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no %q in %s", k, b.String())
		}
	}
	if got["window_seconds"] != 3600.0 || got["outcome"] != "not_enough_data" || got["taken_at"] != "2026-12-07T06:00:00Z" {
		t.Errorf("top level: %v", got)
	}
	rows := got["rows"].([]any)
	r0, r1 := rows[0].(map[string]any), rows[1].(map[string]any)
	if r0["candidate_samples"] != 120.0 || r0["p_value"] != 0.4 || r0["need_more"] != "≈ 12,400 more requests to detect +1 pp" ||
		r0["interval"].([]any)[1] != 0.03 || r0["comparison"] != "same" || r0["method"] != "msprt two-proportion" {
		t.Errorf("row 0: %v", r0)
	}
	for _, k := range []string{"candidate", "baseline", "candidate_samples", "p_value", "interval"} {
		if v, ok := r1[k]; !ok || v != nil {
			t.Errorf("row 1 %s = %v (present %v), want null", k, v, ok)
		}
	}
}

// The text: a table of the rows with their units, ≈ with how many more,
// then the outcome and why; failures listed before it.
func TestVerdictText(t *testing.T) {
	j := &fixedJudge{outcome: fleet.VerdictFail, rows: []fleet.VerdictRow{
		{Quantity: "error_rate", Candidate: fp(0.041), Baseline: fp(0.0102), CandidateSamples: 2400, BaselineSamples: 1234567,
			Comparison: "worse", PValue: fp(0.00002), Interval: &[2]float64{0.008, 0.041}},
		{Quantity: "latency", Candidate: fp(0.120), Baseline: fp(0.110), CandidateSamples: 2400, BaselineSamples: 1234567,
			Comparison: "same", PValue: fp(0.41), NeedMore: "≈ 9,000 more requests"},
		{Quantity: "accuracy", Comparison: "unknown", Why: "no labels yet"},
	}}
	s := verdictSnapshot()
	s.Queries[0].OK, s.Queries[0].Error = false, "timed out"
	doc, err := JudgeVerdict(s, CheckInput{}, "fraud", "", j.judge)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteVerdict(&b, doc, "text"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"fraud-detector: candidate 9 against baseline 8, counts over the last 1h",
		"QUANTITY    CANDIDATE       BASELINE            RESULT  P / 95% INTERVAL           NOTE\n",
		"error_rate  4.1% of 2,400   1.02% of 1,234,567  worse   p<0.0001 [+0.8pp, +4.1pp]\n",
		"latency     120ms of 2,400  110ms of 1,234,567  ≈       p=0.41                     ≈ 9,000 more requests\n",
		"accuracy    —               —                   ?       —                          no labels yet\n",
		"FAILED    prometheus query verdict_counts: timed out\nFAIL: error_rate: fail\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

// A hostile name from a server (a label value) cannot act on the terminal
// through the text, nor through the JSON.
func TestVerdictHostileNames(t *testing.T) {
	const hostile = "fraud\x1b]52;c;cm0=\x07\u009b2J\r\nFORGED: PASS"
	s := verdictSnapshot()
	s.Models[0].Name = hostile
	j := &fixedJudge{outcome: fleet.VerdictPass, rows: []fleet.VerdictRow{{Quantity: hostile, Comparison: "same", Why: hostile}}}
	doc, err := JudgeVerdict(s, CheckInput{}, hostile, "", j.judge)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json"} {
		var b strings.Builder
		if err := WriteVerdict(&b, doc, format); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\x1b\x07\r\u009b") || strings.Contains(out, "\nFORGED") {
			t.Errorf("%s output carries control characters or a forged line:\n%q", format, out)
		}
	}
}
