// Package fleet holds mltop's domain types: pure data, immutable once a
// snapshot is published. Unknown is always distinguishable from zero: numbers
// that may be unknown are pointers, maps that may be unknown are nil.
package fleet

import "time"

// SchemaVersion is the version of the snapshot JSON contract (SPEC.md).
const SchemaVersion = 1

// Snapshot is one timestamped picture of the whole fleet.
type Snapshot struct {
	TakenAt time.Time
	Sources []SourceStatus
	Queries []QueryStatus
	Models  []Model
}

// SourceStatus says how one backend answered the latest poll.
type SourceStatus struct {
	Name    string // e.g. "prometheus", "embedded", "mlflow"
	Kind    string // "prometheus", "embedded", "mlflow"
	Backend string // detected engine, e.g. "prometheus", "thanos"; "" when unknown
	OK      bool
	Latency time.Duration
	Error   string // plain words; "" when OK
	// Warnings are partial-response warnings the backend returned with data.
	Warnings []string
	// LastSuccess is when this source last answered; zero if never.
	LastSuccess time.Time
	// NextAttempt is when the poller will try again after a failure (backoff).
	NextAttempt time.Time
}

// Stale reports whether the values from this source are older than the snapshot.
func (s SourceStatus) Stale() bool { return !s.OK }

// QueryStatus records the fate of one named query in the latest poll. A
// failing query keeps its last good values, so cells built from it are stale.
type QueryStatus struct {
	Name        string
	Role        Role
	Source      string
	OK          bool
	Error       string
	Series      int
	Duration    time.Duration
	LastSuccess time.Time
}

// Age returns how old the query's values are at time now, or -1 if it never succeeded.
func (q QueryStatus) Age(now time.Time) time.Duration {
	if q.LastSuccess.IsZero() {
		return -1
	}
	return now.Sub(q.LastSuccess)
}

// Model is one registered (or served) model with its versions.
type Model struct {
	Name        string
	Description string
	Tags        map[string]string // nil when the registry has not been read
	Aliases     map[string]string // alias -> version; nil when unknown
	Rollout     *Rollout
	Versions    []Version
	// InRegistry is true when the registry knows this model; Serving when metrics mention it.
	InRegistry bool
	Serving    bool
	Health     Health
}

// Version returns the version with the given id, or nil.
func (m *Model) Version(v string) *Version {
	for i := range m.Versions {
		if m.Versions[i].Version == v {
			return &m.Versions[i]
		}
	}
	return nil
}

// Tracks of a version in a rollout.
const (
	TrackStable = "stable"
	TrackCanary = "canary"
	TrackShadow = "shadow"
)

// Version is one model version: serving state, quality, drift, labels, lineage.
type Version struct {
	Version string
	Track   string // stable, canary, shadow, or "" when not serving

	TrafficWeight     *float64 // percent
	RequestsPerSecond *float64
	ErrorRate         *float64 // 0..1
	Latency           Latency

	Performance map[string]float64 // live quality, metric -> value; nil when unknown
	Baseline    map[string]float64 // offline evaluation from the registry; nil when unknown

	Drift       *Drift
	GroundTruth GroundTruth
	Lineage     *Lineage

	InRegistry bool
	Serving    bool
	Health     Health
}

// LatencyKind says how latency figures were derived.
type LatencyKind string

const (
	LatencyHistogram LatencyKind = "histogram" // true quantiles from a histogram
	LatencyMean      LatencyKind = "mean"      // only a mean is available (duration ÷ count)
)

// Latency of serving, in seconds.
type Latency struct {
	Kind LatencyKind // "" when unknown
	P50  *float64
	P95  *float64
	P99  *float64
	Mean *float64
}

// GroundTruth describes how labels arrive for a version.
type GroundTruth struct {
	LabeledFraction     *float64 // 0..1
	DelayP50Seconds     *float64
	DelayP95Seconds     *float64
	LastLabelAgeSeconds *float64
}

// Drift of a version's inputs and output against a reference.
type Drift struct {
	Score     *float64 // worst feature's score
	Method    string   // method of the worst feature
	Threshold *float64
	Drifted   *bool  // dataset-level verdict
	Feature   string // the worst feature's name
	Features  []FeatureDrift
	// Prediction is drift of the model's output, when measured.
	Prediction *FeatureDrift
}

// FeatureDrift is the drift of one input feature.
type FeatureDrift struct {
	Feature   string
	Score     float64
	Method    string
	Threshold *float64
	PValue    *float64
	Drifted   *bool
}

// Rollout is a model's progressive-delivery state, in Argo Rollouts' vocabulary.
type Rollout struct {
	Phase     string // Healthy, Progressing, Paused, Degraded, Aborted
	Strategy  string // canary, blue-green, shadow
	Stable    string // version
	Candidate string // version
	Weights   map[string]float64
	Step      *int // current step, 1-based
	Steps     *int
	SetWeight *float64 // weight the rollout asked for; Weights hold the actual ones
}

// Dataset is a training dataset as the registry records it.
type Dataset struct {
	Name   string
	Digest string
	Source string
}

// Lineage says where a version came from.
type Lineage struct {
	RunID     string
	RunName   string
	Source    string
	Dataset   *Dataset
	GitCommit string
	CreatedAt time.Time // zero when unknown
	CreatedBy string
	Stage     string
	Status    string
}
