package estimate

import (
	"math"
	"testing"
	"time"
)

const tol = 1e-9

var inf = math.Inf(1)

// want is one expected metric: value and standard error (se < 0: none).
type want struct{ value, se float64 }

// The expected figures below were worked out by hand from the formulas in
// docs/estimate.md (E[TP] = Σ_{b>t} n_b p_b and so on), not by this code.
func TestCBPE(t *testing.T) {
	bounds := []float64{0.25, 0.5, 0.75, 1, inf}
	// p_b = 0.1, 0.3, 0.6, 0.9 on 100 labels each; midpoints .125, .375,
	// .625, .875: ECE = (.025+.075+.025+.025)/4.
	labelled := []float64{100, 100, 100, 100, 0}
	positive := []float64{10, 30, 60, 90, 0}
	n := []float64{10, 20, 30, 40, 0}
	// P_b = 1, 6, 18, 36; Q_b = 9, 14, 12, 4: AUC = (1·4.5 + 6·16 + 18·29 +
	// 36·37) / (61·39) = 1954.5/2379.
	aucA := want{0.8215636822194199, 0.0409581176646173}
	cases := []struct {
		name        string
		in          Input
		metrics     map[string]want
		ece, labels float64
		unavailable string
	}{
		{
			// TP = 18+36 = 54, FP = 12+4 = 16, FN = 1+6 = 7, TN = 9+14 = 23.
			name: "threshold in the middle",
			in:   Input{Bounds: bounds, Predictions: n, Labelled: labelled, Positive: positive, Threshold: 0.5},
			metrics: map[string]want{
				Accuracy:  {0.77, 0.042083250825001625},
				Precision: {0.7714285714285715, 0.0501891466087817},
				Recall:    {0.8852459016393442, 0.04080854845958753},
				F1:        {0.8244274809160306, 0.04700930712241401},
				ROCAUC:    aucA,
			},
			ece: 0.0375, labels: 400,
		},
		{
			// Only the first bucket is predicted negative: TP = 60, FP =
			// 30, FN = 1, TN = 9.
			name: "threshold at the first bound",
			in:   Input{Bounds: bounds, Predictions: n, Labelled: labelled, Positive: positive, Threshold: 0.25},
			metrics: map[string]want{
				Accuracy:  {0.69, 0.04624932431938871},
				Precision: {0.6666666666666666, 0.04969039949999533},
				Recall:    {0.9836065573770492, 0.016258514874769345},
				F1:        {0.7947019867549668, 0.04648587893578851},
				ROCAUC:    aucA,
			},
			ece: 0.0375, labels: 400,
		},
		{
			// Everything is predicted negative: TP = FP = 0, FN = 61, TN =
			// 39; precision has no denominator and is left out.
			name: "threshold at the last bound",
			in:   Input{Bounds: bounds, Predictions: n, Labelled: labelled, Positive: positive, Threshold: 1},
			metrics: map[string]want{
				Accuracy: {0.39, 0.048774993593028795},
				Recall:   {0, 0},
				F1:       {0, 0},
				ROCAUC:   aucA,
			},
			ece: 0.0375, labels: 400,
		},
		{
			// The empty 0.25–0.5 bucket needs no calibration. TP = 54, FP
			// = 16, FN = 1, TN = 9, N = 80; P = 1, 18, 36, Q = 9, 12, 4:
			// AUC = (4.5 + 18·15 + 36·23) / (55·25).
			name: "empty bucket without labels",
			in: Input{
				Bounds: bounds, Predictions: []float64{10, 0, 30, 40, 0},
				Labelled: []float64{100, 0, 100, 100, 0}, Positive: []float64{10, 0, 60, 90, 0}, Threshold: 0.5,
			},
			metrics: map[string]want{
				Accuracy:  {0.7875, 0.04573616594118926},
				Precision: {0.7714285714285715, 0.0501891466087817},
				Recall:    {0.9818181818181818, 0.01801577070206772},
				F1:        {0.864, 0.043359704796043064},
				ROCAUC:    {0.8018181818181818, 0.048806407568069025},
			},
			ece: 0.025, labels: 300,
		},
		{
			// p_b = 1: TP = 70, FN = 30, no negatives, so no AUC; ECE is
			// the mean distance of the midpoints from 1.
			name: "all-positive calibration",
			in:   Input{Bounds: bounds, Predictions: n, Labelled: labelled, Positive: labelled, Threshold: 0.5},
			metrics: map[string]want{
				Accuracy:  {0.7, 0.045825756949558406},
				Precision: {1, 0},
				Recall:    {0.7, 0.045825756949558406},
				F1:        {0.8235294117647058, 0.041349119020871024},
			},
			ece: 0.5, labels: 400,
		},
		{
			// p_b = 0: FP = 70, TN = 30; no positives: no recall, no AUC.
			name: "all-negative calibration",
			in:   Input{Bounds: bounds, Predictions: n, Labelled: labelled, Positive: make([]float64, 5), Threshold: 0.5},
			metrics: map[string]want{
				Accuracy:  {0.3, 0.0458257569495584},
				Precision: {0, 0},
				F1:        {0, 0},
			},
			ece: 0.5, labels: 400,
		},
		{
			// Scores above the last finite bound: the +Inf bucket ends at
			// 1 (midpoint .75). TP = 8, FP = 2, FN = 2, TN = 8; AUC = (2·4
			// + 8·9)/100, Hanley–McNeil on 10 and 10.
			name: "the +Inf bucket",
			in: Input{
				Bounds: []float64{0.5, inf}, Predictions: []float64{10, 10},
				Labelled: []float64{10, 10}, Positive: []float64{2, 8}, Threshold: 0.5,
			},
			metrics: map[string]want{
				Accuracy:  {0.8, 0.08944271909999157},
				Precision: {0.8, 0.12649110640673517},
				Recall:    {0.8, 0.12649110640673517},
				F1:        {0.8, 0.12649110640673517},
				ROCAUC:    {0.8, 0.10198039027185568},
			},
			ece: 0.05, labels: 20,
		},
		{
			// Under one expected positive Hanley–McNeil has no standard
			// error: the AUC is given without one.
			name: "AUC without a standard error",
			in: Input{
				Bounds: []float64{0.5, 1}, Predictions: []float64{4, 1},
				Labelled: []float64{10, 10}, Positive: []float64{0, 5}, Threshold: 0.5,
			},
			// TP = 0.5, FP = 0.5, FN = 0, TN = 4; P = 0, 0.5; Q = 4, 0.5:
			// AUC = 0.5·(4 + 0.25) / (0.5·4.5).
			metrics: map[string]want{
				Accuracy:  {0.9, 0.13416407864998736},
				Precision: {0.5, 0.5},
				Recall:    {1, 0},
				F1:        {0.6666666666666666, 0.5443310539518174},
				ROCAUC:    {0.9444444444444444, -1},
			},
			ece: 0.25, labels: 20,
		},
		{
			name: "a bucket with predictions and no labels",
			in: Input{
				Bounds: bounds, Predictions: n, Labelled: []float64{100, 0, 100, 100, 0},
				Positive: []float64{10, 0, 60, 90, 0}, Threshold: 0.5, Window: 7 * 24 * time.Hour,
			},
			ece: 0.025, labels: 300,
			unavailable: "no labelled predictions with scores in 0.25–0.5 over 7d",
		},
		{
			name: "a threshold that is not a bound",
			in:   Input{Bounds: bounds, Predictions: n, Labelled: labelled, Positive: positive, Threshold: 0.6},
			ece:  0.0375, labels: 400,
			unavailable: "threshold 0.6 is not a bucket bound of the score histogram",
		},
		{
			name: "no predictions",
			in:   Input{Bounds: bounds, Predictions: make([]float64, 5), Labelled: labelled, Positive: positive, Threshold: 0.5},
			ece:  0.0375, labels: 400,
			unavailable: "no predictions in the window",
		},
		{
			name:        "no labels at all",
			in:          Input{Bounds: bounds, Predictions: n, Labelled: make([]float64, 5), Positive: make([]float64, 5), Threshold: 0.5, Window: 36 * time.Hour},
			unavailable: "no labelled predictions over 36h",
		},
		{
			name:        "more positives than labels",
			in:          Input{Bounds: bounds, Predictions: n, Labelled: labelled, Positive: []float64{10, 30, 60, 150, 0}, Threshold: 0.5},
			unavailable: "more positive labels than labels with scores in 0.75–1",
		},
		{
			name:        "an impossible labelled count",
			in:          Input{Bounds: bounds, Predictions: n, Labelled: []float64{100, math.NaN(), 100, 100, 0}, Positive: positive, Threshold: 0.5},
			unavailable: "the labelled-score histograms have an impossible count in 0.25–0.5",
		},
		{
			name: "an impossible prediction count",
			in:   Input{Bounds: bounds, Predictions: []float64{10, 20, -1, 40, 0}, Labelled: labelled, Positive: positive, Threshold: 0.5},
			ece:  0.0375, labels: 400,
			unavailable: "the prediction histogram has an impossible count in 0.5–0.75",
		},
		{
			name:        "buckets that differ",
			in:          Input{Bounds: bounds, Predictions: n[:4], Labelled: labelled, Positive: positive, Threshold: 0.5},
			unavailable: "the score histograms have different buckets",
		},
		{
			name:        "bounds out of order",
			in:          Input{Bounds: []float64{0.5, 0.25}, Predictions: []float64{1, 1}, Labelled: []float64{1, 1}, Positive: []float64{1, 1}, Threshold: 0.5},
			unavailable: "the score histogram's bucket bounds are not ascending",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CBPE(c.in)
			if got.Unavailable != c.unavailable {
				t.Fatalf("unavailable = %q, want %q", got.Unavailable, c.unavailable)
			}
			if math.Abs(got.ECE-c.ece) > tol || got.Labels != c.labels {
				t.Errorf("ECE, labels = %v, %v; want %v, %v", got.ECE, got.Labels, c.ece, c.labels)
			}
			if c.unavailable != "" && got.Metrics != nil {
				t.Errorf("unavailable estimate has metrics %+v", got.Metrics)
			}
			seen := map[string]bool{}
			for _, m := range got.Metrics {
				seen[m.Name] = true
				w, ok := c.metrics[m.Name]
				if !ok {
					t.Errorf("unexpected metric %s = %v", m.Name, m.Value)
					continue
				}
				if math.Abs(m.Value-w.value) > tol {
					t.Errorf("%s = %.12f, want %.12f", m.Name, m.Value, w.value)
				}
				switch {
				case w.se < 0 && m.HasStdError:
					t.Errorf("%s has standard error %v, want none", m.Name, m.StdError)
				case w.se >= 0 && (!m.HasStdError || math.Abs(m.StdError-w.se) > tol):
					t.Errorf("%s standard error = %v (%v), want %.12f", m.Name, m.StdError, m.HasStdError, w.se)
				}
			}
			for name := range c.metrics {
				if !seen[name] {
					t.Errorf("metric %s missing", name)
				}
			}
		})
	}
}

func TestMetricOrder(t *testing.T) {
	got := CBPE(Input{
		Bounds: []float64{0.5, inf}, Predictions: []float64{10, 10},
		Labelled: []float64{10, 10}, Positive: []float64{2, 8}, Threshold: 0.5,
	})
	want := []string{Accuracy, Precision, Recall, F1, ROCAUC}
	if len(got.Metrics) != len(want) {
		t.Fatalf("metrics %+v", got.Metrics)
	}
	for i, m := range got.Metrics {
		if m.Name != want[i] {
			t.Errorf("metric %d = %s, want %s", i, m.Name, want[i])
		}
	}
}

func TestFromCumulative(t *testing.T) {
	cases := []struct {
		name string
		in   []float64
		want []float64 // nil: unreadable
	}{
		{"plain", []float64{1, 3, 3, 6}, []float64{1, 2, 0, 3}},
		{"a dip is raised to the running maximum", []float64{1, 3, 2.9, 6}, []float64{1, 2, 0, 3}},
		{"empty histogram", []float64{0, 0, 0}, []float64{0, 0, 0}},
		{"NaN", []float64{1, math.NaN(), 3}, nil},
		{"negative", []float64{1, -2, 3}, nil},
		{"infinite", []float64{1, 2, inf}, nil},
	}
	for _, c := range cases {
		got, ok := FromCumulative(c.in)
		if ok != (c.want != nil) {
			t.Errorf("%s: ok = %v", c.name, ok)
			continue
		}
		for i := range c.want {
			if math.Abs(got[i]-c.want[i]) > tol {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
}

func TestBucketWords(t *testing.T) {
	b := []float64{0, 0.1, 0.7, 0.8, inf}
	for i, want := range []string{"0 or below", "0–0.1", "0.1–0.7", "0.7–0.8", "above 0.8"} {
		if got := bucketWords(b, i); got != want {
			t.Errorf("bucket %d = %q, want %q", i, got, want)
		}
	}
}

func TestCBPEHugeCounts(t *testing.T) {
	got := CBPE(Input{
		Bounds: []float64{0.5, 1}, Predictions: []float64{math.MaxFloat64, math.MaxFloat64},
		Labelled: []float64{1, 1}, Positive: []float64{0, 1}, Threshold: 0.5,
	})
	if got.Unavailable == "" {
		t.Errorf("an overflowing total gave %+v", got.Metrics)
	}
}

// The ECE noise floor: √(2/π)·√(m(1−m)/L_b) per bucket, weighted by its
// share of labels. Bounds .5 and 1 give midpoints .25 and .75, both with
// m(1−m) = .1875; the figures are worked out by hand.
func TestECENoise(t *testing.T) {
	for _, c := range []struct {
		labelled []float64
		want     float64
	}{
		{[]float64{100, 100}, 0.03454941494713355},  // √(2/π)·√(.1875/100)
		{[]float64{300, 100}, 0.023597689251837115}, // .75·√(2/π)·√(.1875/300) + .25·√(2/π)·√(.1875/100)
	} {
		r := CBPE(Input{Bounds: []float64{0.5, 1}, Predictions: []float64{10, 10}, Labelled: c.labelled,
			Positive: []float64{c.labelled[0] / 4, c.labelled[1] * 3 / 4}, Threshold: 0.5})
		if math.Abs(r.ECENoise-c.want) > 1e-9 || r.ECE > 1e-12 {
			t.Errorf("labelled %v: noise %v (ECE %v), want %v (ECE 0)", c.labelled, r.ECENoise, r.ECE, c.want)
		}
	}
}
