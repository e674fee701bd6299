package fleet

import "time"

// DriftHistory is drift over time for one model: a score per step for each
// version and feature, to see when drift started.
type DriftHistory struct {
	Model string
	Range time.Duration
	Step  time.Duration
	End   time.Time // the newest step; Scores[i] is at End - (n-1-i)*Step
	// Series are sorted by version, then feature.
	Series []DriftSeries
}

// DriftSeries is one feature's score at each step, oldest first; NaN where
// there is no score (no data in that window).
type DriftSeries struct {
	Version   string
	Feature   string // PredictionFeature for the model's output
	Method    string
	Threshold float64
	Scores    []float64
}

// PredictionFeature names the model's output among the features.
const PredictionFeature = "__prediction__"
