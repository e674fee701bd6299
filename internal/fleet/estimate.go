package fleet

import "time"

// Estimate is a quality metric estimated without labels, with its standard
// error (nil when the source gave none, as an exporter's own gauge).
type Estimate struct {
	Value    float64
	StdError *float64
}

// Estimated metrics CBPE gives, in display order.
var EstimatedMetrics = []string{"accuracy", "precision", "recall", "f1", "roc_auc"}

// Calibration is what a CBPE estimate rests on: how well the labelled
// scores match how often they turned out positive.
type Calibration struct {
	// ECE is the expected calibration error over the labelled predictions.
	ECE float64
	// ECENoise is the ECE a perfectly calibrated model would show on as
	// few labels: sampling noise, not miscalibration.
	ECENoise float64
	// Labels is the number of labelled predictions in the window.
	Labels float64
	// Window is the calibration window.
	Window time.Duration
	// Threshold is the decision threshold the estimate used.
	Threshold float64
	// Unreliable is true when ECE is above MaxECE: the estimate is shown,
	// marked, never hidden.
	Unreliable bool
	// MaxECE is the limit ECE was judged against (estimate.max_ece), set
	// by the judge; 0 before judging.
	MaxECE float64
	// Unavailable says in words why there is no estimate (a score bucket
	// without labelled predictions, a threshold that is not a bucket
	// bound); "" when there is one.
	Unavailable string
}

// Counts are a version's requests, errors and latency histogram over the
// verdict window: what comparisons that know their sample size rest on.
type Counts struct {
	Window   time.Duration
	Requests *float64
	Errors   *float64
	// Latency is the cumulative latency histogram, ascending by Le, the
	// last bound +Inf; nil when unknown.
	Latency []Bucket
}

// Bucket is one cumulative histogram bucket.
type Bucket struct {
	Le    float64
	Count float64
}
