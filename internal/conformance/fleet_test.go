package conformance

import (
	"github.com/mltop/mltop/internal/testenv"
)

var latencyBounds, latencyShares = []float64{0.01, 0.05, 0.1, 0.5}, []float64{0.3, 0.8, 0.95, 0.999}

// fleetSeries is the deterministic fleet every engine is fed: a canary, a
// shadow, a model without labels, drift on two features, errors from
// none to many.
var fleetSeries = []testenv.LinearSeries{
	{Model: "fraud", Version: "7", Track: "stable", RPS: 40, ErrorsPerSec: 0.4, Weight: 90,
		LatencyBounds: latencyBounds, LatencyShares: latencyShares, Performance: map[string]float64{"auc": 0.91},
		LabeledShare: 0.3, DriftPSI: map[string]float64{"amount": 0.04, "country": 0.31}},
	{Model: "fraud", Version: "8", Track: "canary", RPS: 4.5, ErrorsPerSec: 0.09, Weight: 10,
		LatencyBounds: latencyBounds, LatencyShares: []float64{0.2, 0.7, 0.9, 0.99}, Performance: map[string]float64{"auc": 0.93},
		LabeledShare: 0.25, DriftPSI: map[string]float64{"amount": 0.02, "country": 0.05}},
	{Model: "ranker", Version: "21", Track: "stable", RPS: 250, ErrorsPerSec: 0, Weight: 100,
		LatencyBounds: latencyBounds, LatencyShares: latencyShares, Performance: map[string]float64{"ndcg": 0.71},
		LabeledShare: 0.6},
	{Model: "ranker", Version: "22", Track: "shadow", RPS: 250, ErrorsPerSec: 0.25, Weight: 0,
		LatencyBounds: latencyBounds, LatencyShares: []float64{0.1, 0.5, 0.9, 0.999}, Performance: map[string]float64{"ndcg": 0.73},
		LabeledShare: 0.6},
	{Model: "churn", Version: "3", Track: "stable", RPS: 2.5, ErrorsPerSec: 0.05, Weight: 100,
		LatencyBounds: latencyBounds, LatencyShares: latencyShares},
}

// fleetRollouts: fraud's canary is at step 2 of 4.
var fleetRollouts = map[string][4]string{"fraud": {"Progressing", "canary", "2", "4"}}
