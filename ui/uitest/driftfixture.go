package uitest

import (
	"math"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
)

// churnDrift makes churn-predictor's drift mixed, as real models are: plan
// is categorical (Jensen–Shannon) and the output drifts mildly.
func churnDrift(d *fleet.Drift) {
	if d == nil {
		return
	}
	for k := range d.Features {
		if d.Features[k].Feature == "plan" {
			d.Features[k].Method, d.Features[k].Score = "jensenshannon", 0.04
			d.Features[k].Drifted = b(false)
		}
	}
	d.Prediction = &fleet.FeatureDrift{Feature: fleet.PredictionFeature, Score: 0.06, Method: "psi", Threshold: f(0.1), Drifted: b(false)}
}

// DriftSnapshot is Snapshot with what only the drift screen shows: the
// reference drift was computed against, a feature without data for
// churn-predictor, and drift measured for search-ranker by the p-value
// tests (KS, chi-square) and Wasserstein, none drifting (the healthy case).
// Snapshot itself keeps these out, as the other screens' goldens expect.
func DriftSnapshot() fleet.Snapshot {
	s := Snapshot()
	for idx := range s.Models {
		m := &s.Models[idx]
		if m.Name == "churn-predictor" {
			d := m.Versions[0].Drift
			d.Reference = "registry"
			// Scored by a drift job, except plan and the output, which mltop
			// computes; contract has too few observations for its distance.
			for k := range d.Features {
				d.Features[k].Source = fleet.DriftExported
				if d.Features[k].Feature == "plan" {
					d.Features[k].Source = fleet.DriftComputed
				}
			}
			d.Prediction.Source = fleet.DriftComputed
			d.NoData = []string{"contract", "region"}
			d.TooFew = []fleet.FeatureDrift{{Feature: "contract", Score: math.NaN(), Method: "psi", Threshold: f(0.1),
				Source: fleet.DriftComputed, Observations: f(412), MinObservations: f(600), ObservationsWindow: "current"}}
		}
		if m.Name != "search-ranker" {
			continue
		}
		for k := range m.Versions {
			shift := 0.01 * float64(k)
			m.Versions[k].Drift = &fleet.Drift{
				Score: f(0.41 - shift), Method: "ks", Threshold: f(0.05), Drifted: b(false), Feature: "query_length",
				Features: []fleet.FeatureDrift{
					{Feature: "query_length", Score: 0.41 - shift, Method: "ks", Threshold: f(0.05), PValue: f(0.41 - shift), Drifted: b(false), Source: fleet.DriftComputed},
					{Feature: "device", Score: 0.62 + shift, Method: "chisquare", Threshold: f(0.05), PValue: f(0.62 + shift), Drifted: b(false), Source: fleet.DriftComputed},
					{Feature: "dwell_seconds", Score: 0.03 + shift, Method: "wasserstein", Threshold: f(0.1), Drifted: b(false), Source: fleet.DriftComputed},
				},
				Prediction: &fleet.FeatureDrift{Feature: fleet.PredictionFeature, Score: 0.02, Method: "psi", Threshold: f(0.1), Drifted: b(false), Source: fleet.DriftComputed},
				Reference:  "7d offset",
			}
		}
		judge.Model(m, judge.Default())
	}
	return s
}

// DriftHistory is a deterministic drift history for a model of
// DriftSnapshot over rng with the given number of steps ending at Now:
// each feature flat near its current score, except churn-predictor's
// tenure, which rises from .02 through its .1 threshold to .3 partway
// through, and a short gap (no data) for every feature a fifth of the way in.
func DriftHistory(model string, rng time.Duration, points int) fleet.DriftHistory {
	points = max(points, 2)
	h := fleet.DriftHistory{Model: model, Range: rng, Step: rng / time.Duration(points-1), End: Now}
	s := DriftSnapshot()
	for _, m := range s.Models {
		if m.Name != model {
			continue
		}
		for _, v := range m.Versions {
			if v.Drift == nil {
				continue
			}
			all := append([]fleet.FeatureDrift(nil), v.Drift.Features...)
			if v.Drift.Prediction != nil {
				all = append(all, *v.Drift.Prediction)
			}
			for n, fd := range all {
				series := fleet.DriftSeries{Version: v.Version, Feature: fd.Feature, Method: fd.Method, Scores: make([]float64, points)}
				if fd.Threshold != nil {
					series.Threshold = *fd.Threshold
				}
				for p := range series.Scores {
					x := float64(p) / float64(points-1)
					series.Scores[p] = driftAt(m.Name, fd, x, n)
				}
				h.Series = append(h.Series, series)
			}
		}
	}
	sortSeries(h.Series)
	return h
}

// driftAt is a feature's score at x (0 = start of the range, 1 = now).
func driftAt(model string, fd fleet.FeatureDrift, x float64, n int) float64 {
	if x >= 0.2 && x < 0.23 {
		return math.NaN()
	}
	switch {
	case model == "churn-predictor" && fd.Feature == "tenure":
		switch {
		case x < 0.45:
			return 0.02
		case x < 0.8:
			return 0.02 + 0.28*(x-0.45)/0.35
		}
		return 0.30 - 0.03*(x-0.8)/0.2
	case fd.Feature == fleet.PredictionFeature && model == "churn-predictor":
		return 0.03 + 0.03*x
	}
	return fd.Score * (1 + 0.05*math.Sin(x*8*math.Pi+float64(n)))
}

func sortSeries(s []fleet.DriftSeries) {
	for a := 1; a < len(s); a++ {
		for c := a; c > 0 && (s[c].Version < s[c-1].Version ||
			s[c].Version == s[c-1].Version && s[c].Feature < s[c-1].Feature); c-- {
			s[c], s[c-1] = s[c-1], s[c]
		}
	}
}
