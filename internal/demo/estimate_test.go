package demo

import (
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/mltop/mltop/internal/estimate"
)

// perBucket turns a scraped histogram's cumulative buckets into counts per
// bucket, +Inf last.
func perBucket(t *testing.T, m *dto.Metric) []float64 {
	t.Helper()
	h := m.GetHistogram()
	var out []float64
	prev := 0.0
	for _, b := range h.GetBucket() {
		if math.IsInf(b.GetUpperBound(), 1) {
			continue
		}
		c := float64(b.GetCumulativeCount())
		out = append(out, c-prev)
		prev = c
	}
	return append(out, float64(h.GetSampleCount())-prev)
}

func histogramOf(t *testing.T, fams map[string]*dto.MetricFamily, name, model, version string) []float64 {
	t.Helper()
	ms := series(fams, name, lbl("model", model, "version", version))
	if len(ms) != 1 {
		t.Fatalf("%s{model=%s, version=%s}: %d series, want 1", name, model, version, len(ms))
	}
	return perBucket(t, ms[0])
}

// estimateBetween is the estimate of a version from the predictions made
// between two scrapes and the labelled scores as of the second.
func estimateBetween(t *testing.T, before, after map[string]*dto.MetricFamily, model, version string) (est map[string]float64, ece, labels float64) {
	t.Helper()
	n0 := histogramOf(t, before, "model_prediction_value", model, version)
	n1 := histogramOf(t, after, "model_prediction_value", model, version)
	all := histogramOf(t, after, "model_labeled_score", model, version)
	pos := histogramOf(t, after, "model_labeled_positive_score", model, version)
	n := make([]float64, len(n1))
	for i := range n1 {
		n[i] = n1[i] - n0[i]
	}
	res := estimate.CBPE(estimate.Input{
		Bounds:      append(slices.Clone(probabilityBounds), math.Inf(1)),
		Predictions: n, Labelled: all, Positive: pos, Threshold: demoThreshold,
	})
	if res.Unavailable != "" {
		t.Fatalf("%s v%s: estimate unavailable: %s", model, version, res.Unavailable)
	}
	est = map[string]float64{}
	for _, m := range res.Metrics {
		est[m.Name] = m.Value
	}
	est["auc"] = est[estimate.ROCAUC]
	return est, res.ECE, res.Labels
}

// truthOver is the simulation's known quality of version's predictions
// over the story interval [from, to): the expectation, under the known
// calibration, of their score distribution averaged over the interval.
func truthOver(f *Fleet, model string, version int, from, to time.Duration) map[string]float64 {
	m := f.w.byName[model]
	spec := m.versions[version].spec
	shares := make([]float64, len(probabilityBounds)+1)
	const steps = 60
	for i := range steps {
		s := from + (to-from)*time.Duration(2*i+1)/(2*steps)
		for b, q := range m.outputAt(spec, s).bucketProbs(probabilityBounds) {
			shares[b] += q / steps
		}
	}
	return expectedQuality(shares, truthOf(probabilityBounds), probabilityBounds, demoThreshold)
}

// tolerance is three standard errors of a metric estimated on n
// predictions of which a share prevalence is positive: binomial for
// accuracy and f1, Hanley–McNeil for AUC. The estimate rests on a sample
// of scores, so it can be no closer to the truth than that.
func tolerance(metric string, v, n, prevalence float64) float64 {
	if metric != "auc" {
		return 3 * math.Sqrt(v*(1-v)/n)
	}
	np, nn := n*prevalence, n*(1-prevalence)
	q1, q2 := v/(2-v), 2*v*v/(1+v)
	return 3 * math.Sqrt((v*(1-v)+(np-1)*(q1-v*v)+(nn-1)*(q2-v*v))/(np*nn))
}

// positiveShare is the simulation's known share of positives among
// version's predictions over [from, to).
func positiveShare(f *Fleet, model string, version int, from, to time.Duration) float64 {
	m := f.w.byName[model]
	truth := truthOf(probabilityBounds)
	const steps = 60
	share := 0.0
	for i := range steps {
		s := from + (to-from)*time.Duration(2*i+1)/(2*steps)
		for b, q := range m.outputAt(m.versions[version].spec, s).bucketProbs(probabilityBounds) {
			share += q * truth[b] / steps
		}
	}
	return share
}

// TestEstimateMatchesSimulationTruth checks CBPE, fed only what the
// exporters publish, against what the simulation knows the quality of
// those predictions to be, within three standard errors (about 0.01 for
// five minutes of traffic); and that the labels landing later measure
// what was estimated.
func TestEstimateMatchesSimulationTruth(t *testing.T) {
	f := startManual(t, 21)
	before := scrapeAll(t, f)
	f.Advance(5 * time.Minute) // the calibration history is replayed within 30 s
	after := scrapeAll(t, f)
	window := f.StoryTime().Sub(storyStart)

	cases := []struct {
		model   string
		version int
		metrics []string
	}{
		{"churn-predictor", 3, []string{"accuracy", "f1", "auc"}},
		{"credit-risk", 11, []string{"auc", "accuracy"}},
		{"credit-risk", 12, []string{"auc", "accuracy"}},
	}
	for _, c := range cases {
		ver := strconv.Itoa(c.version)
		est, ece, labels := estimateBetween(t, before, after, c.model, ver)
		truth := truthOver(f, c.model, c.version, 0, window)
		n := value(t, after, "model_predictions_total", lbl("model", c.model, "version", ver))
		prevalence := positiveShare(f, c.model, c.version, 0, window)
		for _, metric := range c.metrics {
			tol := tolerance(metric, truth[metric], n, prevalence)
			if d := math.Abs(est[metric] - truth[metric]); d > tol {
				t.Errorf("%s v%s %s: estimate %.4f, truth %.4f, off by %.4f > %.2f", c.model, ver, metric, est[metric], truth[metric], d, tol)
			}
		}
		// Calibrated by construction: the error left is the labels' noise.
		if ece > 0.02 {
			t.Errorf("%s v%s: ECE %.4f over %.0f labels, want <= 0.02", c.model, ver, ece, labels)
		}
		if c.model == "credit-risk" {
			// No drift: the labels of days ago measure what is estimated now.
			measured := value(t, after, "model_performance", lbl("model", c.model, "version", ver, "metric", "auc"))
			if d := math.Abs(est["auc"] - measured); d > tolerance("auc", measured, n, prevalence) {
				t.Errorf("credit-risk v%s: estimated auc %.4f, measured %.4f", ver, est["auc"], measured)
			}
		}
	}

	// Churn drifts: the estimate from the scores of half an hour is what
	// the labels of those predictions measure a median label delay (two
	// story hours) later. Half an hour of churn traffic is ~1,400
	// predictions, so the tolerance here is three binomial standard errors.
	f.Advance(storyToReal(30 * time.Minute))
	from := scrapeAll(t, f)
	f.Advance(storyToReal(30 * time.Minute))
	to := scrapeAll(t, f)
	est, _, _ := estimateBetween(t, from, to, "churn-predictor", "3")
	n := value(t, to, "model_predictions_total", lbl("model", "churn-predictor", "version", "3")) -
		value(t, from, "model_predictions_total", lbl("model", "churn-predictor", "version", "3"))
	f.Advance(storyToReal(2*time.Hour - 15*time.Minute))
	later := scrapeAll(t, f)
	for _, metric := range []string{"accuracy", "f1"} {
		measured := value(t, later, "model_performance", lbl("model", "churn-predictor", "version", "3", "metric", metric))
		tol := tolerance(metric, measured, n, 0)
		if d := math.Abs(est[metric] - measured); d > tol {
			t.Errorf("churn %s: estimated %.4f, measured two hours later %.4f, off by %.4f > %.3f", metric, est[metric], measured, d, tol)
		}
	}
	first := value(t, before, "model_performance", lbl("model", "churn-predictor", "version", "3", "metric", "accuracy"))
	if est["accuracy"] > first-0.01 {
		t.Errorf("churn accuracy estimated %.4f after the drift, want below the %.4f measured at the start", est["accuracy"], first)
	}
}

func TestExpectedQualityByHand(t *testing.T) {
	// Two buckets split at 0.5: 100 predictions at p=.25, 100 at p=.75.
	// TP=75 FP=25 FN=25 TN=75; positives 25 low, 75 high, negatives 75
	// low, 25 high: AUC = (25*75/2 + 75*(75+25/2)) / (100*100) = .75.
	q := expectedQuality([]float64{100, 100}, []float64{0.25, 0.75}, []float64{0.5}, 0.5)
	want := map[string]float64{"accuracy": 0.75, "precision": 0.75, "recall": 0.75, "f1": 0.75, "auc": 0.75}
	for k, w := range want {
		if math.Abs(q[k]-w) > 1e-12 {
			t.Errorf("%s = %v, want %v", k, q[k], w)
		}
	}
	if got := truthOf([]float64{0.5}); got[0] != 0.25 || got[1] != 0.75 {
		t.Errorf("truthOf = %v, want [.25 .75]", got)
	}
}
