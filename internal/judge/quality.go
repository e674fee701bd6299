package judge

import (
	"math"
	"sort"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
)

// lowerIsBetter lists error-like metrics, where a rise is a drop in quality.
var lowerIsBetter = map[string]bool{
	"rmse": true, "mae": true, "mse": true, "mape": true, "logloss": true, "log_loss": true,
	"brier": true, "error": true, "loss": true,
}

// LowerIsBetter reports whether smaller values of a quality metric are better.
func LowerIsBetter(metric string) bool { return lowerIsBetter[strings.ToLower(metric)] }

// QualityDrop returns how much worse live is than baseline, as a positive
// number when worse: absolute for bounded scores (accuracy, AUC, ...),
// relative for error metrics, whose scale is arbitrary.
func QualityDrop(metric string, live, baseline float64) float64 {
	if LowerIsBetter(metric) {
		if baseline == 0 {
			return 0 // no scale to measure a relative change by
		}
		return (live - baseline) / math.Abs(baseline)
	}
	return baseline - live
}

// Display precision, used to call two figures the same only when no
// interval exists to decide it: the fleet shows bounded scores to two
// decimals and error metrics' changes to a tenth of a percent.
const (
	boundedPrecision  = 0.005
	relativePrecision = 0.0005
)

// Interval methods, as the snapshot names them.
const (
	IntervalWilson       = "wilson"
	IntervalHanleyMcNeil = "hanley-mcneil, balanced classes"
	// IntervalMeanBound is for a mean of per-item scores in 0..1 (NDCG,
	// MAP, MRR): its variance is at most μ(1−μ) (Bhatia–Davis), the
	// binomial's, so Wilson's interval bounds it from above.
	IntervalMeanBound = "wilson, variance bound"
)

// boundedMeans are quality metrics that are means of per-item scores in
// 0..1: the label count bounds their noise from above only.
var boundedMeans = map[string]bool{"ndcg": true, "map": true, "mrr": true}

// proportionMetrics are quality metrics that are a share of labelled
// predictions, so a binomial interval describes their sampling noise.
// F1 is not a proportion; RMSE and friends are not bounded.
var proportionMetrics = map[string]bool{"accuracy": true, "precision": true, "recall": true}

// IsProportion reports whether a quality metric is a proportion of its
// labelled predictions (accuracy, precision, recall, top-k accuracy).
func IsProportion(metric string) bool {
	m := strings.ToLower(metric)
	return proportionMetrics[m] || strings.HasPrefix(m, "top") && strings.HasSuffix(m, "_accuracy")
}

// z95 is the standard normal quantile for a two-sided 95 % interval.
const z95 = 1.959963984540054

// Wilson returns the 95 % Wilson score interval for a proportion p observed
// over n trials. ok is false when n is not positive or p is outside [0, 1]
// (or either is not a number).
func Wilson(p, n float64) (lo, hi float64, ok bool) {
	if !(n > 0) || math.IsInf(n, 0) || !(p >= 0 && p <= 1) {
		return 0, 0, false
	}
	z2 := z95 * z95
	den := 1 + z2/n
	centre := (p + z2/(2*n)) / den
	half := z95 / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return math.Max(0, centre-half), math.Min(1, centre+half), true
}

// HanleyMcNeil returns a 95 % interval for an AUC a measured on n labels.
// The class split is not known, so the classes are taken as balanced
// (n/2 each): that gives the narrowest interval n labels allow, a lower
// bound on the uncertainty, as precision's and recall's are.
func HanleyMcNeil(a, n float64) (lo, hi float64, ok bool) {
	if !(n >= 4) || math.IsInf(n, 0) || !(a >= 0 && a <= 1) {
		return 0, 0, false
	}
	n1, n2 := n/2, n/2
	q1 := a / (2 - a)
	q2 := 2 * a * a / (1 + a)
	v := (a*(1-a) + (n1-1)*(q1-a*a) + (n2-1)*(q2-a*a)) / (n1 * n2)
	if !(v >= 0) {
		return 0, 0, false
	}
	half := z95 * math.Sqrt(v)
	return math.Max(0, a-half), math.Min(1, a+half), true
}

// interval is the 95 % interval of a live metric on n labels, and how it
// was made; ok is false when the data allows none (F1, error metrics: the
// label count alone does not bound their noise).
func interval(metric string, value, n float64) (iv [2]float64, method string, ok bool) {
	switch {
	case IsProportion(metric):
		lo, hi, ok := Wilson(value, n)
		return [2]float64{lo, hi}, IntervalWilson, ok
	case strings.EqualFold(metric, "auc"):
		lo, hi, ok := HanleyMcNeil(value, n)
		return [2]float64{lo, hi}, IntervalHanleyMcNeil, ok
	case boundedMeans[strings.ToLower(metric)]:
		lo, hi, ok := Wilson(value, n)
		return [2]float64{lo, hi}, IntervalMeanBound, ok
	}
	return iv, "", false
}

// IntervalMethod names how a metric's interval is made, "" when none is.
func IntervalMethod(metric string) string {
	_, m, _ := interval(metric, 0.5, 100)
	return m
}

// judgeLabels fills what the label figures imply: low confidence, old
// labels, a tiny labelled share, and the intervals of live quality.
func (c Config) judgeLabels(v *fleet.Version) {
	gt := &v.GroundTruth
	n := gt.Labels
	if least := c.Thresholds.MinLabels; least > 0 && knownPtr(n) && *n < float64(least) {
		gt.LowConfidence = true
	}
	gt.Old = knownPtr(gt.LastLabelAgeSeconds) && c.Thresholds.LabelAge > 0 && *gt.LastLabelAgeSeconds > c.Thresholds.LabelAge.Seconds()
	gt.FewLabelled = knownPtr(gt.LabeledFraction) && *gt.LabeledFraction < TinyLabelShare
	// Quality measured on predictions made before the version existed
	// says little about it: its own labels are mostly still to come.
	gt.PredatesVersion = !gt.QualityAsOf.IsZero() && v.Lineage != nil && !v.Lineage.CreatedAt.IsZero() && gt.QualityAsOf.Before(v.Lineage.CreatedAt)
	if !knownPtr(n) {
		return
	}
	for metric, p := range v.Performance {
		if iv, _, ok := interval(metric, p, *n); ok {
			if v.PerformanceCI == nil {
				v.PerformanceCI = make(map[string][2]float64, 2)
			}
			v.PerformanceCI[metric] = iv
		}
	}
}

// TinyLabelShare is the labelled share under which live quality says
// little about the traffic: the labels cell warns.
const TinyLabelShare = 0.01

// judgeQuality is the headline metric against its baseline. Within noise
// ("same") is decided by the live interval containing the baseline; a
// drop past quality_drop is shown as a drop even then (marked low
// confidence when it is). Without an interval only a delta of zero at
// the precision shown counts as the same.
func (c Config) judgeQuality(v *fleet.Version) {
	name, live, base := v.PrimaryMetric()
	if name == "" {
		v.Quality = nil
		return
	}
	q := &fleet.Quality{Metric: name, LowerIsBetter: LowerIsBetter(name), LowConfidence: v.GroundTruth.LowConfidence}
	if knownPtr(v.GroundTruth.Labels) {
		n := *v.GroundTruth.Labels
		q.Labels = &n
	}
	if knownPtr(live) {
		q.Live = live
		if iv, ok := v.PerformanceCI[name]; ok && known(iv[0]) && known(iv[1]) {
			q.Interval, q.IntervalMethod = &iv, IntervalMethod(name)
		}
	}
	if knownPtr(base) {
		q.Baseline = base
	}
	v.Quality = q
	c.judgeDelta(q)
}

// judgeDelta fills the delta of q's live figure to its baseline and its
// verdict, when it has both.
func (c Config) judgeDelta(q *fleet.Quality) {
	q.Delta, q.Relative, q.Noise, q.Verdict = 0, false, "", ""
	if q.Live == nil || q.Baseline == nil {
		return
	}
	name := q.Metric
	q.Delta = QualityDrop(name, *q.Live, *q.Baseline)
	q.Relative = q.LowerIsBetter && *q.Baseline != 0
	if q.LowerIsBetter && !q.Relative {
		q.Delta = *q.Live - *q.Baseline // shown, but no threshold applies
	}
	pastThreshold := c.Thresholds.QualityDrop > 0 && (q.Relative || !q.LowerIsBetter) && q.Delta >= c.Thresholds.QualityDrop
	switch {
	case q.Interval != nil:
		q.Noise = "interval"
		if !pastThreshold && q.Interval[0] <= *q.Baseline && *q.Baseline <= q.Interval[1] {
			q.Verdict = fleet.QualitySame
			return
		}
	default:
		q.Noise = "display"
		precision := boundedPrecision
		if q.Relative {
			precision = relativePrecision
		}
		if math.Abs(q.Delta) < precision {
			q.Verdict = fleet.QualitySame
			return
		}
	}
	if q.Delta > 0 {
		q.Verdict = fleet.QualityWorse
	} else {
		q.Verdict = fleet.QualityBetter
	}
}

// LowerIsBetterMetrics lists the error-like metrics LowerIsBetter knows,
// lower-cased and sorted: the generated alerting rules match them by name.
func LowerIsBetterMetrics() []string {
	ms := make([]string, 0, len(lowerIsBetter))
	for m := range lowerIsBetter {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	return ms
}
