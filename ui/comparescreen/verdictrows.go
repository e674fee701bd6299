package comparescreen

import (
	"strings"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/termsafe"
)

// pairVerdict is B judged against A (B as the candidate) over the verdict
// window, by internal/judge: the statistics that know their sample size.
func pairVerdict(in inputs) fleet.Verdict {
	cmp := in.cmp
	if cmp.Refresh <= 0 {
		cmp.Refresh = in.refresh
	}
	c := judge.Config{Thresholds: in.thresholds, Comparisons: cmp}
	return judge.StaleVerdict(in.snap, c.VerdictPair(in.model, in.a.Version, in.b.Version))
}

// verdictRows lay out the verdict: its outcome and why, then one line per
// compared quantity with its p-value or interval beneath, and for ≈ how
// many more samples would show a change that matters.
func verdictRows(in inputs, v fleet.Verdict) []row {
	st := roleStaleness(in.snap, fleet.RoleVerdictCounts, fleet.RoleVerdictLatency)
	out := []row{
		{heading: true, label: "Verdict B vs A over " + human.Duration(v.Window), outcome: v.Outcome, stale: st},
		{note: true, label: termsafe.Clean(v.Why)},
	}
	for _, vr := range v.Rows {
		r := row{label: verdictLabel(vr.Quantity), a: vr.Baseline, b: vr.Candidate, unit: verdictUnit(vr.Quantity),
			stat: vr.Comparison, stale: st}
		out = append(out, r)
		if vr.Why != "" {
			out = append(out, row{note: true, detail: true, label: termsafe.Clean(vr.Why)})
		}
		if vr.NeedMore != "" {
			out = append(out, row{note: true, detail: true, label: termsafe.Clean(vr.NeedMore)})
		}
	}
	return out
}

// verdictLabel names a verdict row: "error rate", "~roc_auc" for an
// estimate (as the fleet marks estimated quality).
func verdictLabel(q string) string {
	switch q {
	case judge.QuantityErrorRate:
		return "error rate"
	case judge.QuantityLatency:
		return "latency (p95)" // compared whole by KS; p95 is what is shown
	}
	if m, ok := strings.CutPrefix(q, judge.EstimatedPrefix); ok {
		return "~" + termsafe.Clean(m)
	}
	return termsafe.Clean(q)
}

func verdictUnit(q string) unit {
	switch q {
	case judge.QuantityErrorRate:
		return unitRatio
	case judge.QuantityLatency:
		return unitSeconds
	}
	return unitScore
}

// verdictComparison maps a verdict row's comparison to which side is
// better; B is the candidate.
func verdictComparison(c string) verdict {
	switch c {
	case judge.ComparisonBetter:
		return bBetter
	case judge.ComparisonWorse:
		return aBetter
	case judge.ComparisonSame:
		return sameValue
	}
	return noVerdict
}

// statFor is the verdict's comparison of a measured quality metric, ""
// when the verdict has none (or could not tell).
func statFor(v fleet.Verdict, metric string) string {
	for _, r := range v.Rows {
		if r.Quantity == metric && r.Comparison != judge.ComparisonUnknown {
			return r.Comparison
		}
	}
	return ""
}
