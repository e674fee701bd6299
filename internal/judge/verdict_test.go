package judge

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// latency builds a cumulative histogram over 10ms, 25ms, 50ms, 100ms, +Inf.
func latency(c ...float64) []fleet.Bucket {
	les := []float64{0.01, 0.025, 0.05, 0.1, math.Inf(1)}
	out := make([]fleet.Bucket, len(c))
	for i := range c {
		out[i] = fleet.Bucket{Le: les[i], Count: c[i]}
	}
	return out
}

func counts(req, errs float64, lat []fleet.Bucket) *fleet.Counts {
	return &fleet.Counts{Window: time.Hour, Requests: ptr(req), Errors: ptr(errs), Latency: lat}
}

// canaryModel: stable v1 and canary v2, 10,000 requests each, 50 errors,
// the same latency shape.
func canaryModel() *fleet.Model {
	return &fleet.Model{Name: "churn", Versions: []fleet.Version{
		{Version: "1", Track: fleet.TrackStable, Serving: true, Counts: counts(10000, 50, latency(1000, 6000, 9500, 9900, 10000))},
		{Version: "2", Track: fleet.TrackCanary, Serving: true, Counts: counts(10000, 50, latency(1000, 6000, 9500, 9900, 10000))},
	}}
}

func row(t *testing.T, v fleet.Verdict, quantity string) fleet.VerdictRow {
	t.Helper()
	for _, r := range v.Rows {
		if r.Quantity == quantity {
			return r
		}
	}
	t.Fatalf("no %s row in %+v", quantity, v.Rows)
	return fleet.VerdictRow{}
}

func TestVerdictOutcomes(t *testing.T) {
	cases := []struct {
		name      string
		change    func(m *fleet.Model)
		candidate string
		want      fleet.VerdictOutcome
		why       string
	}{
		{"equal canary passes", nil, "", fleet.VerdictPass, "v2 is not significantly worse than v1 on error rate, latency"},
		{"more errors fail", func(m *fleet.Model) { m.Versions[1].Counts.Errors = ptr(120.0) }, "", fleet.VerdictFail, "v2 is significantly worse than v1 on error rate"},
		{"fewer errors pass", func(m *fleet.Model) { m.Versions[0].Counts.Errors = ptr(120.0) }, "", fleet.VerdictPass, "v2 is not significantly worse"},
		{"slower canary fails", func(m *fleet.Model) {
			m.Versions[1].Counts.Latency = latency(700, 4500, 9000, 9850, 10000)
		}, "", fleet.VerdictFail, "v2 is significantly worse than v1 on latency"},
		{"too few requests", func(m *fleet.Model) { m.Versions[1].Counts = counts(57, 0, nil) }, "", fleet.VerdictNotEnough, "v2 has 57 requests in the window; a verdict needs at least 200 on each side"},
		{"no counts", func(m *fleet.Model) { m.Versions[0].Counts = nil }, "", fleet.VerdictNotEnough, "no request count over the verdict window for v1"},
		{"no error counter", func(m *fleet.Model) { m.Versions[1].Counts.Errors = nil }, "", fleet.VerdictNotEnough, "error rate unknown: no error count for v2"},
		{"exporter down", func(m *fleet.Model) { m.Versions[1].StaleSince = time.Unix(1, 0) }, "", fleet.VerdictNotEnough, "v2's figures are old"},
		{"no canary", func(m *fleet.Model) { m.Versions[1].Track = "" }, "", fleet.VerdictNotEnough, "churn has no canary, shadow or challenger version"},
		{"no stable", func(m *fleet.Model) { m.Versions[0].Track = "" }, "", fleet.VerdictNotEnough, "churn has no stable (or champion) version"},
		{"unknown candidate", nil, "7", fleet.VerdictNotEnough, "v7 is not a version of churn"},
		{"candidate is the stable one", nil, "1", fleet.VerdictNotEnough, "v1 is on both sides"},
		{"named candidate", nil, "2", fleet.VerdictPass, "not significantly worse"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := canaryModel()
			if c.change != nil {
				c.change(m)
			}
			v := Default().Verdict(m, c.candidate)
			if v.Outcome != c.want || !strings.Contains(v.Why, c.why) {
				t.Errorf("outcome %s, why %q; want %s, with %q", v.Outcome, v.Why, c.want, c.why)
			}
			if v.Window != time.Hour {
				t.Errorf("window %v, want the default hour", v.Window)
			}
		})
	}
}

func TestVerdictErrorRow(t *testing.T) {
	m := canaryModel()
	m.Versions[1].Counts.Errors = ptr(120.0)
	r := row(t, Default().Verdict(m, ""), QuantityErrorRate)
	if r.Comparison != ComparisonWorse || r.Method != MethodMSPRT || !eqWithin(r.PValue, 5.1081728711373571e-6, 1e-9) ||
		!eqWithin(r.Candidate, 0.012, 1e-15) || !eqWithin(r.Baseline, 0.005, 1e-15) || r.CandidateSamples != 10000 || r.BaselineSamples != 10000 {
		t.Errorf("row %+v", r)
	}
	if r.Interval == nil || math.Abs(r.Interval[0]-0.0028329832326646449) > 1e-12 || math.Abs(r.Interval[1]-0.011167016767335355) > 1e-12 {
		t.Errorf("interval %v", r.Interval)
	}

	// Equal rates: ≈, with how many more requests would show +1pp.
	m = canaryModel()
	m.Versions[0].Counts = counts(1000, 5, nil)
	m.Versions[1].Counts = counts(1000, 5, nil)
	r = row(t, Default().Verdict(m, ""), QuantityErrorRate)
	if r.Comparison != ComparisonSame || !strings.HasPrefix(r.NeedMore, "≈ ") || !strings.HasSuffix(r.NeedMore, " more requests on v2 to detect +1pp") {
		t.Errorf("same row %+v", r)
	}
	// A 4 % baseline: the change to detect is ×1.5.
	m = canaryModel()
	m.Versions[0].Counts = counts(1000, 40, nil)
	m.Versions[1].Counts = counts(1000, 40, nil)
	r = row(t, Default().Verdict(m, ""), QuantityErrorRate)
	if !strings.Contains(r.NeedMore, "to detect ×1.5 (+2.00pp)") {
		t.Errorf("4%% baseline: %q", r.NeedMore)
	}
	// Plenty of requests: enough to have seen the change.
	m = canaryModel()
	for i := range m.Versions {
		m.Versions[i].Counts.Requests, m.Versions[i].Counts.Errors = ptr(1e7), ptr(5e4)
	}
	if r = row(t, Default().Verdict(m, ""), QuantityErrorRate); r.NeedMore != "enough requests on v2 to have seen +1pp" {
		t.Errorf("plenty: %q", r.NeedMore)
	}
	// Errors overshooting requests (increase() extrapolates) count as all.
	m = canaryModel()
	m.Versions[1].Counts.Errors = ptr(10001.0)
	if r = row(t, Default().Verdict(m, ""), QuantityErrorRate); r.Comparison != ComparisonWorse || !eqWithin(r.Candidate, 1, 0) {
		t.Errorf("overshoot: %+v", r)
	}
}

func TestVerdictLatencyRow(t *testing.T) {
	m := canaryModel()
	m.Versions[1].Counts.Latency = latency(1500, 7500, 9600, 9950, 10000)
	v := Default().Verdict(m, "")
	r := row(t, v, QuantityLatency)
	if r.Comparison != ComparisonBetter || v.Outcome != fleet.VerdictPass || r.Method != MethodKS {
		t.Errorf("faster canary: %s, %+v", v.Outcome, r)
	}
	// p95 by linear interpolation: v1's 9,500th of 10,000 is at 50ms.
	if !eqWithin(r.Baseline, 0.05, 1e-12) || !eqWithin(r.Candidate, 0.025+0.025*2000/2100, 1e-12) {
		t.Errorf("p95 %v %v", *r.Baseline, *r.Candidate)
	}
	m.Versions[1].Counts.Latency = latency(700, 4500, 9000, 9850, 10000)
	if r := row(t, Default().Verdict(m, ""), QuantityLatency); r.Comparison != ComparisonWorse ||
		!strings.HasPrefix(r.Why, "55.0% of v2's requests over 25ms vs 40.0% of v1's, KS D .15, p ") {
		t.Errorf("slower canary: %+v", r)
	}
	// Significant but small: five in a hundred requests moved is shown,
	// not acted on.
	m.Versions[1].Counts.Latency = latency(800, 5500, 9400, 9900, 10000)
	v = Default().Verdict(m, "")
	if r := row(t, v, QuantityLatency); r.Comparison != ComparisonSame || !strings.Contains(r.Why, "too small to act on") || *r.PValue > 1e-6 {
		t.Errorf("small shift: %s, %+v", v.Outcome, r)
	}
	// Per look at alpha/looks: a gap that p = 2.5e-04 shows at one look
	// is within the noise over 720 looks (1h at 5s).
	small := func() *fleet.Model {
		m := canaryModel()
		m.Versions[0].Counts = counts(400, 2, latency(40, 240, 380, 396, 400))
		m.Versions[1].Counts = counts(400, 2, latency(24, 180, 360, 394, 400))
		return m
	}
	if r := row(t, Default().Verdict(small(), ""), QuantityLatency); r.Comparison != ComparisonWorse || !eqWithin(r.PValue, 0.00024681960817289519, 1e-12) {
		t.Errorf("one look: %+v", r)
	}
	c := Default()
	c.Comparisons = Comparisons{Window: time.Hour, Refresh: 5 * time.Second}
	if r := row(t, c.Verdict(small(), ""), QuantityLatency); r.Comparison != ComparisonSame || !strings.Contains(r.Why, "over 720 looks") {
		t.Errorf("720 looks: %+v", r)
	}
	for name, change := range map[string]func(m *fleet.Model){
		"no histogram":     func(m *fleet.Model) { m.Versions[1].Counts.Latency = nil },
		"other buckets":    func(m *fleet.Model) { m.Versions[1].Counts.Latency = m.Versions[1].Counts.Latency[1:] },
		"few in histogram": func(m *fleet.Model) { m.Versions[1].Counts.Latency = latency(10, 60, 95, 99, 100) },
		"empty histogram":  func(m *fleet.Model) { m.Versions[1].Counts.Latency = latency(0, 0, 0, 0, 0) },
		"NaN in a bucket":  func(m *fleet.Model) { m.Versions[1].Counts.Latency = latency(1, math.NaN(), 3, 4, 5000) },
	} {
		m := canaryModel()
		change(m)
		v := Default().Verdict(m, "")
		if r := row(t, v, QuantityLatency); r.Comparison != ComparisonUnknown || r.Why == "" {
			t.Errorf("%s: %+v", name, r)
		}
		if v.Outcome != fleet.VerdictPass {
			t.Errorf("%s: an unknown latency row does not block a pass on error rate, got %s", name, v.Outcome)
		}
	}
}

func TestVerdictMeasuredQuality(t *testing.T) {
	withQuality := func(pb, pc, nb, nc float64) *fleet.Model {
		m := canaryModel()
		m.Versions[0].Performance = map[string]float64{"accuracy": pb, "precision": 0.8, "auc": 0.9}
		m.Versions[1].Performance = map[string]float64{"accuracy": pc, "precision": 0.7, "auc": 0.8}
		m.Versions[0].GroundTruth.Labels, m.Versions[1].GroundTruth.Labels = ptr(nb), ptr(nc)
		return m
	}
	v := Default().Verdict(withQuality(0.9, 0.85, 1000, 1000), "")
	r := row(t, v, "accuracy")
	if r.Comparison != ComparisonWorse || v.Outcome != fleet.VerdictFail || r.Method != MethodNewcombe ||
		r.Interval == nil || math.Abs(r.Interval[0]+0.079032138168784656) > 1e-12 || math.Abs(r.Interval[1]+0.021046197045332299) > 1e-12 {
		t.Errorf("accuracy drop: %s %+v", v.Outcome, r)
	}
	if r := row(t, v, "precision"); r.Comparison != ComparisonUnknown || !strings.Contains(r.Why, "denominator") {
		t.Errorf("precision: %+v", r)
	}
	for _, q := range v.Rows {
		if q.Quantity == "auc" {
			t.Errorf("auc is not a proportion; no Newcombe row: %+v", q)
		}
	}
	// 52 labels a side: a .05 gain is not a win, and the row says how
	// many more labels would show a .02 drop.
	v = Default().Verdict(withQuality(0.85, 0.9, 52, 52), "")
	if r := row(t, v, "accuracy"); r.Comparison != ComparisonSame || !strings.HasSuffix(r.NeedMore, " more labels on v2 to detect −.02") {
		t.Errorf("52 labels: %+v", r)
	}
	m := withQuality(0.9, 0.85, 1000, 1000)
	m.Versions[1].GroundTruth.PredatesVersion = true
	if r := row(t, Default().Verdict(m, ""), "accuracy"); r.Comparison != ComparisonUnknown {
		t.Errorf("labels before the version: %+v", r)
	}
	m = withQuality(0.9, 0.85, 1000, 1000)
	m.Versions[1].GroundTruth.Labels = nil
	if r := row(t, Default().Verdict(m, ""), "accuracy"); r.Comparison != ComparisonUnknown {
		t.Errorf("no label count: %+v", r)
	}
}

func TestVerdictEstimatedQuality(t *testing.T) {
	est := func(v, se float64) fleet.Estimate { return fleet.Estimate{Value: v, StdError: ptr(se)} }
	build := func() *fleet.Model {
		m := canaryModel()
		m.Versions[0].EstimatedPerformance = map[string]fleet.Estimate{"roc_auc": est(0.86, 0.004), "accuracy": est(0.9, 0.01), "f1": {Value: 0.7}}
		m.Versions[1].EstimatedPerformance = map[string]fleet.Estimate{"roc_auc": est(0.83, 0.004), "accuracy": est(0.9, 0.01), "f1": {Value: 0.6}}
		return m
	}
	v := Default().Verdict(build(), "")
	r := row(t, v, "estimated roc_auc")
	if r.Comparison != ComparisonWorse || v.Outcome != fleet.VerdictFail || r.Method != MethodZ || r.PValue == nil || *r.PValue > 1e-6 {
		t.Errorf("auc drop: %s %+v", v.Outcome, r)
	}
	if r := row(t, v, "estimated accuracy"); r.Comparison != ComparisonSame || r.NeedMore != "≈ 3.9× the predictions to detect −.02" {
		t.Errorf("accuracy same: %+v", r)
	}
	for _, q := range v.Rows {
		if q.Quantity == "estimated f1" {
			t.Errorf("no standard error, no row: %+v", q)
		}
	}
	m := build()
	m.Versions[1].Calibration = &fleet.Calibration{Unreliable: true, ECE: 0.09, MaxECE: 0.05, ECENoise: 0.012}
	v = Default().Verdict(m, "")
	r = row(t, v, "estimated roc_auc")
	if r.Comparison != ComparisonUnknown || v.Outcome != fleet.VerdictPass {
		t.Errorf("unreliable: %s %+v", v.Outcome, r)
	}
	if want := "the estimate is unreliable: v2's calibration error .090 is above the limit .05 (+ .012 for sampling noise)"; r.Why != want {
		t.Errorf("unreliable row says %q; want %q", r.Why, want)
	}
}

func TestVerdictCandidates(t *testing.T) {
	c := Default()
	m := canaryModel()
	m.Versions[1].Track = fleet.TrackShadow
	if v := c.Verdict(m, ""); v.Candidate != "2" || v.Baseline != "1" {
		t.Errorf("shadow: %s vs %s", v.Candidate, v.Baseline)
	}
	m.Versions[0].Track, m.Versions[1].Track = "", ""
	m.Aliases = map[string]string{"champion": "1", "challenger": "2"}
	if v := c.Verdict(m, ""); v.Candidate != "2" || v.Baseline != "1" || v.Outcome != fleet.VerdictPass {
		t.Errorf("aliases: %s vs %s, %s %s", v.Candidate, v.Baseline, v.Outcome, v.Why)
	}
	c.Comparisons.ServingAlias, c.Comparisons.CandidateAlias = "prod", "next"
	m.Aliases = map[string]string{"prod": "1", "next": "2"}
	if v := c.Verdict(m, ""); v.Candidate != "2" || v.Baseline != "1" {
		t.Errorf("configured aliases: %s vs %s", v.Candidate, v.Baseline)
	}
	if v := c.Verdict(nil, ""); v.Outcome != fleet.VerdictNotEnough {
		t.Errorf("nil model: %+v", v)
	}
}

func TestSnapshotVerdict(t *testing.T) {
	s := &fleet.Snapshot{Models: []fleet.Model{*canaryModel()}}
	if v := Default().SnapshotVerdict(s, "churn", ""); v.Outcome != fleet.VerdictPass {
		t.Errorf("fresh: %s %s", v.Outcome, v.Why)
	}
	s.Queries = []fleet.QueryStatus{{Name: "q", Role: fleet.RoleVerdictCounts, Source: "prometheus", OK: false}}
	if v := Default().SnapshotVerdict(s, "churn", ""); v.Outcome != fleet.VerdictNotEnough || !strings.Contains(v.Why, "query verdict_counts failed") {
		t.Errorf("failed query: %s %s", v.Outcome, v.Why)
	}
	if v := Default().SnapshotVerdict(s, "nope", ""); v.Outcome != fleet.VerdictNotEnough || !strings.Contains(v.Why, `no model "nope"`) {
		t.Errorf("no model: %+v", v)
	}
}

func TestComparisonsLooks(t *testing.T) {
	for _, c := range []struct {
		cmp  Comparisons
		want int
	}{
		{Comparisons{Window: time.Hour, Refresh: 5 * time.Second}, 720},
		{Comparisons{Refresh: 7 * time.Second}, 515},
		{Comparisons{Window: time.Second, Refresh: time.Minute}, 1},
		{Comparisons{}, 1},
	} {
		if got := c.cmp.Looks(); got != c.want {
			t.Errorf("%+v: %d looks, want %d", c.cmp, got, c.want)
		}
	}
}

func eqWithin(p *float64, want, tol float64) bool { return p != nil && math.Abs(*p-want) <= tol }

// TestVerdictPair: any two versions, B judged against A; reversing them
// reverses the comparison.
func TestVerdictPair(t *testing.T) {
	m := canaryModel()
	m.Versions[1].Counts.Errors = ptr(120.0)
	v := Default().VerdictPair(m, "2", "1")
	if v.Baseline != "2" || v.Candidate != "1" || v.Outcome != fleet.VerdictPass {
		t.Fatalf("reversed: %+v", v)
	}
	if r := row(t, v, QuantityErrorRate); r.Comparison != ComparisonBetter || !eqWithin(r.Candidate, 0.005, 1e-15) {
		t.Errorf("reversed error row: %+v", r)
	}
	for _, bad := range [][2]string{{"1", "9"}, {"9", "1"}, {"1", "1"}} {
		if v := Default().VerdictPair(m, bad[0], bad[1]); v.Outcome != fleet.VerdictNotEnough || len(v.Rows) != 0 {
			t.Errorf("%v: %+v", bad, v)
		}
	}
	if v := Default().VerdictPair(nil, "1", "2"); v.Outcome != fleet.VerdictNotEnough {
		t.Errorf("nil model: %+v", v)
	}
}

// Below the minimum the verdict is not_enough_data, yet it still shows the
// error rates as they stand and how many more requests it needs; no
// comparison is claimed.
func TestVerdictTooFewSaysHowManyMore(t *testing.T) {
	m := canaryModel()
	m.Versions[1].Counts = counts(57, 0, nil)
	v := Default().Verdict(m, "")
	if v.Outcome != fleet.VerdictNotEnough {
		t.Fatalf("outcome %s, want not_enough_data", v.Outcome)
	}
	r := row(t, v, QuantityErrorRate)
	if r.Comparison != ComparisonUnknown || r.PValue != nil || r.Candidate == nil || *r.Candidate != 0 || r.CandidateSamples != 57 {
		t.Errorf("row %+v: want the rates as they stand, no p-value, no comparison", r)
	}
	// The minimum asks 143 more; a +1pp rise over a 0.5 % base needs more
	// than that at 80 % power, so the row says the larger.
	if !strings.Contains(r.NeedMore, "more requests on v2 before a verdict") || strings.Contains(r.NeedMore, "≈ 143 ") {
		t.Errorf("need more %q: want the power-based count for v2", r.NeedMore)
	}
	// The stable side short: the count is just what the minimum asks.
	m = canaryModel()
	m.Versions[0].Counts = counts(150, 1, nil)
	if r := row(t, Default().Verdict(m, ""), QuantityErrorRate); r.NeedMore != "≈ 50 more requests on v1 before a verdict" {
		t.Errorf("stable short: need more %q", r.NeedMore)
	}
	// Stale or without counts: nothing to count towards.
	m = canaryModel()
	m.Versions[1].Counts = counts(57, 0, nil)
	m.Versions[1].StaleSince = time.Unix(1, 0)
	if v := Default().Verdict(m, ""); len(v.Rows) != 0 {
		t.Errorf("stale side: rows %+v, want none", v.Rows)
	}
}
