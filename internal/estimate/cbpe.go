package estimate

import (
	"math"
	"strconv"
	"time"
)

// Metric names, as fleet.EstimatedMetrics lists them.
const (
	Accuracy  = "accuracy"
	Precision = "precision"
	Recall    = "recall"
	F1        = "f1"
	ROCAUC    = "roc_auc"
)

// Input is one version's histograms on the same bucket bounds, as counts
// per bucket (not cumulative).
type Input struct {
	// Bounds are the buckets' upper bounds, ascending; the last may be
	// +Inf. Scores are probabilities: a bucket's lower bound is the
	// previous bound, the first one's 0.
	Bounds []float64
	// Predictions is n_b: predictions per bucket over the current window.
	Predictions []float64
	// Labelled counts the predictions per bucket whose label arrived
	// within the calibration window; Positive counts those labelled
	// positive.
	Labelled, Positive []float64
	// Threshold is the decision threshold: buckets above it are predicted
	// positive. It must be one of Bounds.
	Threshold float64
	// Window is the calibration window, only for the words of Unavailable.
	Window time.Duration
}

// Metric is one estimated metric with its standard error; HasStdError is
// false when the counts allow none.
type Metric struct {
	Name        string
	Value       float64
	StdError    float64
	HasStdError bool
}

// Result is CBPE's outcome for one version.
type Result struct {
	// Metrics are the metrics the counts define, in the order of the
	// constants above; a metric whose denominator is zero (precision with
	// nothing predicted positive) is left out rather than guessed.
	Metrics []Metric
	// ECE is the expected calibration error over the labelled predictions
	// and Labels how many there are; both are set whenever the labelled
	// histograms could be read, even when the estimate is unavailable.
	ECE, Labels float64
	// ECENoise is the ECE a perfectly calibrated model would show on
	// these label counts: finite samples alone make |midpoint − p_b|
	// about √(2/π)·√(m(1−m)/L_b) in each bucket. An ECE within it is no
	// evidence of miscalibration.
	ECENoise float64
	// Unavailable says in words why there is no estimate; "" when there is.
	Unavailable string
}

// Tolerance for more positive labels than labels in a bucket: increase()
// reads the two histograms' series separately, so their counts can differ
// by a little; more than this is not a calibration.
const (
	positiveSlackAbs = 1.0
	positiveSlackRel = 0.01
)

// CBPE estimates accuracy, precision, recall, F1 and ROC AUC from the
// score histogram of current predictions and the calibration learnt from
// labelled ones; see docs/estimate.md.
func CBPE(in Input) Result { return AppendCBPE(nil, in) }

// AppendCBPE is CBPE with the metrics appended to dst (five at most): a
// caller estimating thousands of versions a refresh reuses one array.
func AppendCBPE(dst []Metric, in Input) Result {
	k := len(in.Bounds)
	if k == 0 || len(in.Predictions) != k || len(in.Labelled) != k || len(in.Positive) != k {
		return Result{Unavailable: "the score histograms have different buckets"}
	}
	for i, b := range in.Bounds {
		if math.IsNaN(b) || i > 0 && !(b > in.Bounds[i-1]) {
			return Result{Unavailable: "the score histogram's bucket bounds are not ascending"}
		}
	}
	// p_b lives on the stack for the usual dozen buckets.
	var buf [32]float64
	p := buf[:0]
	if k > len(buf) {
		p = make([]float64, 0, k)
	}
	p, res := calibrate(in, p)
	if res.Unavailable != "" {
		return res
	}
	split := -1 // buckets 0..split are predicted negative
	for i, b := range in.Bounds {
		if b == in.Threshold && !math.IsInf(b, 0) {
			split = i
		}
	}
	if split < 0 {
		res.Unavailable = "threshold " + fmtNum(in.Threshold) + " is not a bucket bound of the score histogram"
		return res
	}
	var tp, fp, fn, tn, n float64
	for i, nb := range in.Predictions {
		if !(nb >= 0) || math.IsInf(nb, 0) {
			res.Unavailable = "the prediction histogram has an impossible count in " + bucketWords(in.Bounds, i)
			return res
		}
		if nb == 0 {
			continue
		}
		if in.Labelled[i] == 0 {
			res.Unavailable = "no labelled predictions with scores in " + bucketWords(in.Bounds, i) + windowWords(in.Window)
			return res
		}
		n += nb
		if i > split {
			tp += nb * p[i]
			fp += nb * (1 - p[i])
		} else {
			fn += nb * p[i]
			tn += nb * (1 - p[i])
		}
	}
	if n == 0 {
		res.Unavailable = "no predictions in the window"
		return res
	}
	if math.IsInf(n, 0) {
		res.Unavailable = "the prediction histogram's counts are too large to add up"
		return res
	}
	res.Metrics = dst
	if res.Metrics == nil {
		res.Metrics = make([]Metric, 0, 5)
	}
	add := func(name string, num, den float64) {
		if den > 0 {
			res.Metrics = append(res.Metrics, proportion(name, num/den, den))
		}
	}
	add(Accuracy, tp+tn, n)
	add(Precision, tp, tp+fp)
	add(Recall, tp, tp+fn)
	// F1 = TP / (TP + (FP+FN)/2): a share of TP + (FP+FN)/2 trials.
	add(F1, tp, tp+(fp+fn)/2)
	if m, ok := auc(in.Predictions, p); ok {
		res.Metrics = append(res.Metrics, m)
	}
	return res
}

// calibrate reads p_b (the share of positives among bucket b's labelled
// predictions) and the expected calibration error. p_b is NaN for a bucket
// without labelled predictions. p is appended to dst.
func calibrate(in Input, dst []float64) ([]float64, Result) {
	var res Result
	p := dst
	for i := range in.Bounds {
		all, pos := in.Labelled[i], in.Positive[i]
		if !(all >= 0) || !(pos >= 0) || math.IsInf(all, 0) || math.IsInf(pos, 0) {
			return nil, Result{Unavailable: "the labelled-score histograms have an impossible count in " + bucketWords(in.Bounds, i)}
		}
		if pos > all {
			if pos-all > max(positiveSlackAbs, positiveSlackRel*all) {
				return nil, Result{Unavailable: "more positive labels than labels with scores in " + bucketWords(in.Bounds, i)}
			}
			pos = all
		}
		pb := math.NaN()
		if all > 0 {
			pb = pos / all
		}
		p = append(p, pb)
		res.Labels += all
	}
	if res.Labels == 0 {
		res.Unavailable = "no labelled predictions" + windowWords(in.Window)
		return nil, res
	}
	for i := range in.Bounds {
		if all := in.Labelled[i]; all > 0 {
			m := midpoint(in.Bounds, i)
			res.ECE += all / res.Labels * math.Abs(m-p[i])
			res.ECENoise += all / res.Labels * math.Sqrt(2/math.Pi) * math.Sqrt(m*(1-m)/all)
		}
	}
	res.ECE = clamp01(res.ECE)
	res.ECENoise = clamp01(res.ECENoise)
	return p, res
}

// proportion is a metric that is a share of den trials, with the
// binomial standard error sqrt(v(1−v)/den).
func proportion(name string, v, den float64) Metric {
	v = clamp01(v)
	return Metric{Name: name, Value: v, StdError: math.Sqrt(v * (1 - v) / den), HasStdError: true}
}

// auc is the ROC AUC of the expected positives P_b = n_b p_b and negatives
// Q_b = n_b (1−p_b), ties within a bucket counted half, with Hanley and
// McNeil's standard error on ΣP positives and ΣQ negatives.
func auc(n, p []float64) (Metric, bool) {
	var sumP, sumQ, below, num float64
	for i, nb := range n {
		if nb == 0 {
			continue
		}
		pb, qb := nb*p[i], nb*(1-p[i])
		num += pb * (below + qb/2)
		below += qb
		sumP += pb
	}
	sumQ = below
	if !(sumP > 0 && sumQ > 0) {
		return Metric{}, false
	}
	a := clamp01(num / (sumP * sumQ))
	m := Metric{Name: ROCAUC, Value: a}
	if se, ok := hanleyMcNeil(a, sumP, sumQ); ok {
		m.StdError, m.HasStdError = se, true
	}
	return m, true
}

// hanleyMcNeil is the standard error of an AUC a on nP positives and nN
// negatives (Hanley & McNeil 1982); ok is false under one of each, where
// the formula's variance can go negative.
func hanleyMcNeil(a, nP, nN float64) (float64, bool) {
	if !(nP >= 1 && nN >= 1) {
		return 0, false
	}
	q1 := a / (2 - a)
	q2 := 2 * a * a / (1 + a)
	v := (a*(1-a) + (nP-1)*(q1-a*a) + (nN-1)*(q2-a*a)) / (nP * nN)
	if !(v >= 0) || math.IsInf(v, 0) {
		return 0, false
	}
	return math.Sqrt(v), true
}

// midpoint is the score ECE takes for bucket i: the middle of its bounds,
// both clipped to [0, 1] (the first bucket starts at 0, +Inf ends at 1).
func midpoint(bounds []float64, i int) float64 {
	lo := 0.0
	if i > 0 {
		lo = bounds[i-1]
	}
	return (clamp01(lo) + clamp01(bounds[i])) / 2
}

// bucketWords names bucket i as a score range: "0.7–0.8", "0–0.1",
// "above 0.9".
func bucketWords(bounds []float64, i int) string {
	hi := bounds[i]
	lo := 0.0
	if i > 0 {
		lo = bounds[i-1]
	}
	switch {
	case math.IsInf(hi, 1):
		return "above " + fmtNum(lo)
	case i == 0 && hi <= 0:
		return fmtNum(hi) + " or below"
	}
	return fmtNum(lo) + "–" + fmtNum(hi)
}

// windowWords is " over 7d" for a window of a whole number of days, else
// Go's duration ("over 36h0m0s" reads as "over 36h").
func windowWords(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d%(24*time.Hour) == 0:
		return " over " + strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d%time.Hour == 0:
		return " over " + strconv.Itoa(int(d/time.Hour)) + "h"
	case d%time.Minute == 0:
		return " over " + strconv.Itoa(int(d/time.Minute)) + "m"
	}
	return " over " + d.String()
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// clamp01 clips f to [0, 1]; NaN stays NaN.
func clamp01(f float64) float64 {
	switch {
	case f < 0:
		return 0
	case f > 1:
		return 1
	}
	return f
}
