package fleet

import "time"

// EstimateHistory is quality estimated without labels over time for one
// model: each version's CBPE estimate per step, to set against the
// measured quality as the labels arrive.
type EstimateHistory struct {
	Model string
	Range time.Duration
	Step  time.Duration
	End   time.Time // the newest step; Values[i] is at End - (n-1-i)*Step
	// Series are sorted by version, then metric.
	Series []EstimateSeries
}

// EstimateSeries is one version's estimate of one metric at each step,
// oldest first; NaN where there is none (no predictions in that window).
type EstimateSeries struct {
	Version string
	Metric  string
	Values  []float64
}
