package judge

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mltop/mltop/internal/abtest"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
)

// What a verdict row compares, how, and what it found.
const (
	QuantityErrorRate = "error_rate"
	QuantityLatency   = "latency"
	// EstimatedPrefix starts an estimated quality row's quantity:
	// "estimated roc_auc".
	EstimatedPrefix = "estimated "

	MethodMSPRT    = "msprt two-proportion"
	MethodKS       = "ks"
	MethodNewcombe = "newcombe"
	MethodZ        = "difference of estimates"

	ComparisonBetter  = "better"
	ComparisonWorse   = "worse"
	ComparisonSame    = "same"
	ComparisonUnknown = "unknown"
)

// QualityChange is the quality drop the "needs N more" lines speak of.
const QualityChange = 0.02

// MinLatencyShift is the smallest KS distance called worse or better: a
// tenth of the requests moved across some latency bound, which for a
// typical log-normal latency is everything about 13 % slower. With
// thousands of requests KS finds far smaller shifts significant; they
// are shown, not acted on.
const MinLatencyShift = 0.1

// rowRules are what every row is decided with.
type rowRules struct {
	alpha float64 // always-valid tests' alpha
	looks int     // per-look tests spend alpha/looks
}

func (r rowRules) lookAlpha() float64 { return abtest.LookAlpha(r.alpha, r.looks) }

func (r rowRules) rows(s sides) []fleet.VerdictRow {
	out := []fleet.VerdictRow{r.errorRow(s), r.latencyRow(s)}
	out = append(out, r.measuredRows(s)...)
	return append(out, r.estimatedRows(s)...)
}

func unknownRow(row fleet.VerdictRow, why string) fleet.VerdictRow {
	row.Comparison, row.Why = ComparisonUnknown, why
	return row
}

// errorRow: the mSPRT on errors over requests. Errors are capped at the
// requests, which increase() can overshoot by extrapolating each series.
func (r rowRules) errorRow(s sides) fleet.VerdictRow {
	cb, cc := s.base.Counts, s.cand.Counts
	row := fleet.VerdictRow{Quantity: QuantityErrorRate, Method: MethodMSPRT,
		BaselineSamples: *cb.Requests, CandidateSamples: *cc.Requests}
	for _, v := range []*fleet.Version{s.cand, s.base} {
		if v.Counts.Errors == nil {
			return unknownRow(row, "no error count for "+versionName(v)+" over the window (0 is never assumed: an exporter should start its error counter at 0)")
		}
	}
	base := abtest.Count{X: math.Min(*cb.Errors, *cb.Requests), N: *cb.Requests}
	cand := abtest.Count{X: math.Min(*cc.Errors, *cc.Requests), N: *cc.Requests}
	res, err := abtest.MSPRT(base, cand, abtest.DefaultTau, r.alpha)
	if err != nil {
		return unknownRow(row, err.Error())
	}
	row.Baseline, row.Candidate = fptr(base.Rate()), fptr(cand.Rate())
	row.PValue, row.Interval = fptr(res.PValue), &res.Interval
	stat := fmt.Sprintf("%s, always-valid p %s", ppText(res.Diff), pText(res.PValue))
	switch {
	case res.PValue <= r.alpha && res.Diff > 0:
		row.Comparison, row.Why = ComparisonWorse, stat+" ≤ "+pText(r.alpha)
	case res.PValue <= r.alpha && res.Diff < 0:
		row.Comparison, row.Why = ComparisonBetter, stat+" ≤ "+pText(r.alpha)
	default:
		row.Comparison, row.Why = ComparisonSame, stat
		delta := abtest.RateChange(base.Rate())
		change := "+1pp"
		if delta > 0.01 {
			change = "×1.5 (" + ppText(delta) + ")"
		}
		more, err := abtest.MSPRTMore(base, cand, delta, abtest.DefaultTau, r.alpha)
		row.NeedMore = needMore(more, err, "requests on "+s.cn, change)
	}
	return row
}

// latencyRow: KS on the window's latency histograms, per look at
// alpha/looks; worse when the candidate is the slower side where the
// CDFs differ most.
func (r rowRules) latencyRow(s sides) fleet.VerdictRow {
	row := fleet.VerdictRow{Quantity: QuantityLatency, Method: MethodKS}
	hb, hc := s.base.Counts.Latency, s.cand.Counts.Latency
	for _, v := range []*fleet.Version{s.cand, s.base} {
		if v.Counts.Latency == nil {
			return unknownRow(row, "no latency histogram for "+versionName(v)+" over the window")
		}
	}
	bounds, cb, cc, ok := alignBuckets(hb, hc)
	if !ok {
		return unknownRow(row, "the two latency histograms have different buckets")
	}
	row.Baseline, row.Candidate = histQuantile(0.95, hb), histQuantile(0.95, hc)
	res, err := abtest.KSCumulative(bounds, cb, cc)
	if err != nil {
		return unknownRow(row, err.Error())
	}
	row.BaselineSamples, row.CandidateSamples = res.N, res.M
	if res.N < MinVerdictRequests || res.M < MinVerdictRequests {
		return unknownRow(row, fmt.Sprintf("fewer than %d requests in a latency histogram", MinVerdictRequests))
	}
	row.PValue = fptr(res.PValue)
	a := r.lookAlpha()
	stat := fmt.Sprintf("KS D %s, p %s", human.Score(res.D), pText(res.PValue))
	if res.PValue > a {
		row.Comparison = ComparisonSame
		row.Why = fmt.Sprintf("%s > %s (α %s over %d looks)", stat, pText(a), pText(r.alpha), r.looks)
		return row
	}
	slowB, slowC := 1-shareAt(cb, bounds, res.At), 1-shareAt(cc, bounds, res.At)
	moved := fmt.Sprintf("%s of %s's requests over %s vs %s of %s's",
		human.Percent(slowC), s.cn, human.Seconds(res.At), human.Percent(slowB), s.bn)
	row.Why = fmt.Sprintf("%s, %s ≤ %s", moved, stat, pText(a))
	switch {
	case res.D < MinLatencyShift:
		row.Comparison = ComparisonSame
		row.Why = fmt.Sprintf("D %s < %s, too small to act on (KS p %s); %s",
			human.Score(res.D), human.Score(MinLatencyShift), pText(res.PValue), moved)
	case res.Gap < 0:
		row.Comparison = ComparisonWorse
	default:
		row.Comparison = ComparisonBetter
	}
	return row
}

// measuredRows: Newcombe's interval for proportion metrics both sides
// measured, on their label counts.
func (r rowRules) measuredRows(s sides) []fleet.VerdictRow {
	var out []fleet.VerdictRow
	for _, name := range sortedKeys(s.cand.Performance) {
		pb, ok := s.base.Performance[name]
		if !ok || !IsProportion(name) {
			continue
		}
		pc := s.cand.Performance[name]
		row := fleet.VerdictRow{Quantity: termsafe.Clean(name), Method: MethodNewcombe, Baseline: fptr(pb), Candidate: fptr(pc)}
		nb, nc := s.base.GroundTruth.Labels, s.cand.GroundTruth.Labels
		switch m := strings.ToLower(name); {
		case !knownPtr(nb) || !knownPtr(nc):
			out = append(out, unknownRow(row, "label count unknown"))
			continue
		case m == "precision" || m == "recall":
			out = append(out, unknownRow(row, "its denominator (predicted or actual positives) is not exported; the label count would overstate the evidence"))
			continue
		case s.cand.GroundTruth.PredatesVersion:
			out = append(out, unknownRow(row, "its labels are for predictions made before "+s.cn+" existed"))
			continue
		}
		row.BaselineSamples, row.CandidateSamples = *nb, *nc
		base := abtest.Count{X: math.Round(pb * *nb), N: *nb}
		cand := abtest.Count{X: math.Round(pc * *nc), N: *nc}
		a := r.lookAlpha()
		d, iv, err := abtest.Newcombe(base, cand, a)
		if err != nil {
			out = append(out, unknownRow(row, err.Error()))
			continue
		}
		row.Interval = &iv
		more := func() (float64, error) { return abtest.ProportionMore(base, cand, -QualityChange, a) }
		out = append(out, decideInterval(row, d, iv, a, "labels on "+s.cn, more))
	}
	return out
}

// estimatedRows: the difference of two estimates with their standard
// errors, per look.
func (r rowRules) estimatedRows(s sides) []fleet.VerdictRow {
	var out []fleet.VerdictRow
	for _, name := range fleet.EstimatedMetrics {
		eb, okb := s.base.EstimatedPerformance[name]
		ec, okc := s.cand.EstimatedPerformance[name]
		if !okb || !okc || eb.StdError == nil || ec.StdError == nil {
			continue
		}
		row := fleet.VerdictRow{Quantity: EstimatedPrefix + name, Method: MethodZ, Baseline: fptr(eb.Value), Candidate: fptr(ec.Value)}
		if why := s.unreliable(); why != "" {
			out = append(out, unknownRow(row, why))
			continue
		}
		if c := s.base.Calibration; c != nil {
			row.BaselineSamples = c.Labels
		}
		if c := s.cand.Calibration; c != nil {
			row.CandidateSamples = c.Labels
		}
		a := r.lookAlpha()
		d, iv, p, err := abtest.ZDiff(eb.Value, *eb.StdError, ec.Value, *ec.StdError, a)
		if err != nil {
			out = append(out, unknownRow(row, err.Error()))
			continue
		}
		row.Interval, row.PValue = &iv, fptr(p)
		k := abtest.ZNeedFactor(*eb.StdError**eb.StdError+*ec.StdError**ec.StdError, -QualityChange, a)
		row = decideInterval(row, d, iv, a, "", nil)
		if row.Comparison == ComparisonSame && k > 1 && !math.IsInf(k, 1) {
			row.NeedMore = fmt.Sprintf("≈ %.1f× the predictions to detect −%s", k, human.Score(QualityChange))
		}
		out = append(out, row)
	}
	return out
}

func unreliable(v *fleet.Version) bool { return v.Calibration != nil && v.Calibration.Unreliable }

// unreliable says which side's estimate cannot be trusted and by how
// much ("the estimate is unreliable: v12's calibration error .090 is
// above the limit .05 (+ .010 for sampling noise)"), or "".
func (s sides) unreliable() string {
	var why []string
	for _, side := range []struct {
		v    *fleet.Version
		name string
	}{{s.cand, s.cn}, {s.base, s.bn}} {
		if !unreliable(side.v) {
			continue
		}
		c := side.v.Calibration
		w := fmt.Sprintf("%s's calibration error %s is above the limit", side.name, decimals(c.ECE))
		if c.MaxECE > 0 {
			w += " " + strings.Replace(strconv.FormatFloat(c.MaxECE, 'f', -1, 64), "0.", ".", 1) // as configured
			if c.ECENoise >= 0.0005 {
				w += " (+ " + decimals(c.ECENoise) + " for sampling noise)"
			}
		}
		why = append(why, w)
	}
	if len(why) == 0 {
		return ""
	}
	return "the estimate is unreliable: " + strings.Join(why, "; ")
}

// decimals is a share in [0, 1] with three decimals and no leading zero
// (".090"), as the screens write calibration errors.
func decimals(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', 3, 64), "0.", ".", 1)
}

// decideInterval calls a higher-is-better difference worse or better when
// its interval excludes 0, and says for "same" how much more would show
// a drop of QualityChange (more nil: the caller says).
func decideInterval(row fleet.VerdictRow, d float64, iv [2]float64, a float64, what string, more func() (float64, error)) fleet.VerdictRow {
	stat := fmt.Sprintf("%s, %s%% interval %s to %s", signedText(d), levelText(a), signedText(iv[0]), signedText(iv[1]))
	switch {
	case iv[1] < 0:
		row.Comparison = ComparisonWorse
	case iv[0] > 0:
		row.Comparison = ComparisonBetter
	default:
		row.Comparison = ComparisonSame
		if more != nil {
			m, err := more()
			row.NeedMore = needMore(m, err, what, "−"+human.Score(QualityChange))
		}
	}
	row.Why = stat
	return row
}

// needMore is the "needs N more" line.
func needMore(more float64, err error, what, change string) string {
	switch {
	case err != nil:
		return ""
	case more == 0 && what != "":
		return "enough " + what + " to have seen " + change
	case more == 0:
		return "enough to have seen " + change
	case math.IsInf(more, 1):
		return "no realistic count would detect " + change
	}
	return fmt.Sprintf("≈ %s more %s to detect %s", countText(more), what, change)
}

func fptr(f float64) *float64 { return &f }

// pText writes a p-value or alpha: .05, .0012, 5.1e-06.
func pText(p float64) string {
	if p == 0 {
		return "≈0" // below the smallest float: underflowed
	}
	if p >= 0.001 {
		return strings.TrimPrefix(strconv.FormatFloat(p, 'g', 2, 64), "0")
	}
	return strconv.FormatFloat(p, 'e', 1, 64)
}

// ppText writes a difference of rates in percentage points: +0.70pp.
func ppText(d float64) string { return fmt.Sprintf("%+.2fpp", 100*d) }

// signedText writes a difference of scores: +.031, −.004.
func signedText(d float64) string {
	s := strconv.FormatFloat(math.Abs(d), 'f', 3, 64)
	s = strings.TrimPrefix(s, "0")
	if d < 0 {
		return "−" + s
	}
	return "+" + s
}

// levelText writes an interval's confidence level in percent: 95, 99.993.
func levelText(a float64) string {
	return strconv.FormatFloat(100*(1-a), 'g', 5, 64)
}

// fewRow is the error-rate row while a side has fewer requests than
// MinVerdictRequests: the rates as they stand, no comparison, and how
// many more requests a verdict needs (the minimum, or more where the
// test at 80 % power asks more). ok is false when a count is missing or
// a side is stale: then there is nothing to count towards.
func (r rowRules) fewRow(s sides) (fleet.VerdictRow, bool) {
	short, shortName := 0.0, ""
	for _, v := range []*fleet.Version{s.cand, s.base} {
		if !v.StaleSince.IsZero() || v.Counts == nil || v.Counts.Requests == nil || v.Counts.Errors == nil || !known(*v.Counts.Requests) {
			return fleet.VerdictRow{}, false
		}
		if gap := MinVerdictRequests - *v.Counts.Requests; gap > short {
			short, shortName = gap, versionName(v)
		}
	}
	if short <= 0 {
		return fleet.VerdictRow{}, false
	}
	row := r.errorRow(s)
	if row.Comparison == ComparisonUnknown {
		return row, true
	}
	need := math.Ceil(short)
	if shortName == s.cn {
		cb := s.base.Counts
		base := abtest.Count{X: math.Min(*cb.Errors, *cb.Requests), N: *cb.Requests}
		cc := s.cand.Counts
		cand := abtest.Count{X: math.Min(*cc.Errors, *cc.Requests), N: *cc.Requests}
		if more, err := abtest.MSPRTMore(base, cand, abtest.RateChange(base.Rate()), abtest.DefaultTau, r.alpha); err == nil && !math.IsInf(more, 0) {
			need = math.Max(need, more)
		}
	}
	row.PValue, row.Interval = nil, nil
	row.Comparison = ComparisonUnknown
	row.Why = fmt.Sprintf("too few requests to compare: a verdict needs at least %d on each side", MinVerdictRequests)
	row.NeedMore = fmt.Sprintf("≈ %s more requests on %s before a verdict", countText(need), shortName)
	return row, true
}
