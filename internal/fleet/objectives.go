package fleet

// Objectives are a version's inputs to the service-level checks (latency
// objective, error budget burn rate), as the merge found them.
type Objectives struct {
	// LatencyBuckets is requests per second per latency bucket over the
	// rate window, cumulative, ascending by Le, the last bound +Inf; nil
	// when the version has no latency histogram.
	LatencyBuckets []Bucket
	// ErrorRatios is the error ratio over each burn-rate window
	// (BurnWindow5m, ...), 0..1 or +Inf (errors and no successful
	// prediction); nil when none was read.
	ErrorRatios map[string]float64
}

// RequestHistory is a model's request rate to compare today's with, summed over
// its versions; nil fields are unknown (no series then: a new model has
// none last week).
type RequestHistory struct {
	LastWeek   *float64 // req/s over the rate window, one week earlier
	HourBefore *float64 // req/s over the hour before the rate window
}
