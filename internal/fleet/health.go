package fleet

import "time"

// Status is a health verdict, ordered from best to worst.
type Status int

const (
	StatusUnknown Status = iota // no data to judge by
	StatusOK
	StatusWarn
	StatusCritical
)

func (s Status) String() string {
	switch s {
	case StatusOK:
		return "ok"
	case StatusWarn:
		return "warn"
	case StatusCritical:
		return "critical"
	}
	return "unknown"
}

// Checks a finding can come from; they match the thresholds' names.
const (
	CheckErrorRate   = "error_rate"
	CheckQualityDrop = "quality_drop"
	CheckLabelAge    = "label_age"
	CheckDrift       = "drift"
	CheckRollout     = "rollout"
	CheckLatency     = "latency"   // the share of requests slower than latency_p95
	CheckSilent      = "silent"    // request rate against last week, or stopped
	CheckBurnRate    = "burn_rate" // the error budget's burn rate
)

// Finding is one reason a model or version is not healthy.
type Finding struct {
	Version string // "" for model-level findings
	Check   string
	Status  Status
	Message string // plain words, e.g. "error rate 4.1% ≥ 5%"
	// Breach is true when a configured threshold is crossed; false for
	// early warnings (an error rate past half its threshold).
	Breach bool
}

// Health is a verdict with its reasons, worst first.
type Health struct {
	Status   Status
	Findings []Finding
}

// Thresholds decide when a quantity makes a model unhealthy.
type Thresholds struct {
	ErrorRate   float64       // ratio at which errors are critical; half of it warns
	LabelAge    time.Duration // newest label older than this warns
	QualityDrop float64       // drop against the offline baseline that warns; twice it is critical
	// MinLabels is the number of labels below which live quality is low
	// confidence: a drop is shown as a warning, never a breach. 0 turns
	// the rule off.
	MinLabels int
	// LatencyP95 is the latency objective: more than 5 % of requests
	// slower than it is a breach. 0 turns the check off.
	LatencyP95 time.Duration
	// SilentShare is the share of last week's request rate below which a
	// model is silent. 0 turns the check off.
	SilentShare float64
	// Availability is the error budget's objective (0.999). 0 turns the
	// burn-rate check off.
	Availability float64
}

// DefaultThresholds are SPEC's defaults.
var DefaultThresholds = Thresholds{ErrorRate: 0.05, LabelAge: 48 * time.Hour, QualityDrop: 0.05, MinLabels: 100, SilentShare: 0.1}
