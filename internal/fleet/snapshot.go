// Package fleet holds mltop's domain types: pure data, immutable once a
// snapshot is published. Unknown is always distinguishable from zero: numbers
// that may be unknown are pointers, maps that may be unknown are nil.
package fleet

import "time"

// SchemaVersion is the version of the snapshot JSON contract (docs/snapshot.md).
const SchemaVersion = 1

// Snapshot is one timestamped picture of the whole fleet.
type Snapshot struct {
	TakenAt time.Time
	// Context names the config context the snapshot is of; "" without
	// contexts.
	Context string
	Sources []SourceStatus
	Queries []QueryStatus
	Models  []Model
	// ServingAlias is the registry alias that names the serving version
	// (mlflow.serving_alias); "" when not known.
	ServingAlias string
	// Alerts is the fleet-wide picture of the alert source; nil when
	// there is none.
	Alerts *Alerts
	// LookBack is set when the snapshot is of a past time, not live.
	LookBack *LookBack
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
	// Targets are the exporters a source scrapes itself (the built-in
	// engine), in configured order; nil for other sources. With every
	// target down the source is not OK; with some, a warning says so.
	Targets []ScrapeTarget
	// Progress is set while a read spans several polls and has not
	// finished (a large registry's first read); nil otherwise.
	Progress *Progress
	// Recorded says which roles are read from recording rules' series
	// rather than evaluated from their queries; nil when recorded series
	// are not looked for (or not yet).
	Recorded *Recorded
	// Profiles are the exporter profiles the metrics source's queries
	// read and how they were chosen; nil for other sources.
	Profiles *Profiles
}

// Profiles are the profiles (docs/profiles.md) a metrics source's queries
// read, in the order they combine.
type Profiles struct {
	Names []string
	// Detected: chosen from the metric names the server holds, no
	// prometheus.profile being written.
	Detected bool
	// Problem says why detection could not choose (the server's error,
	// or none of the metrics looked for is there): every exporter
	// profile is read meanwhile. "" otherwise.
	Problem string
}

// Recorded is which roles a metrics source reads from the series of
// mltop's recording rules.
type Recorded struct {
	Roles []Role // read from recorded series, in role order
	Of    int    // roles the config's rules record
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
	Name string
	// Context is the config context the model was read from, set only
	// where several contexts' fleets are shown together (:ctx all).
	Context string
	// ServingName is the model label in the metrics when it differs from
	// Name, the registered name it was joined to (name mapping); "" otherwise.
	ServingName string
	Description string
	Tags        map[string]string // nil when the registry has not been read
	Aliases     map[string]string // alias -> version; nil when unknown
	Rollout     *Rollout
	Versions    []Version
	// InRegistry is true when the registry knows this model; Serving when metrics mention it.
	InRegistry bool
	Serving    bool
	// RequestHistory is what the silent check compares the request rate with.
	RequestHistory RequestHistory
	Health         Health
	// Alerts are the firing, pending and suppressed alerts whose model
	// label is this model's, firing first; nil when unknown (no alert
	// source, or its latest read failed). They are shown beside Health,
	// never counted in it: the rules encode the same thresholds.
	Alerts []Alert
}

// MetricsName is the model's name in the metrics (its model label): the
// serving name when the registry knows it under another name.
func (m *Model) MetricsName() string {
	if m.ServingName != "" {
		return m.ServingName
	}
	return m.Name
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

	// Profile is the profile whose queries gave the version's figures when
	// several combine; "" otherwise.
	Profile string

	TrafficWeight     *float64 // percent
	RequestsPerSecond *float64
	ErrorRate         *float64 // 0..1
	Latency           Latency

	Performance map[string]float64 // live quality, metric -> value; nil when unknown
	Baseline    map[string]float64 // offline evaluation from the registry; nil when unknown
	// PerformanceCI is a 95 % interval [low, high] for the proportion
	// metrics of Performance (accuracy, precision, recall), from the number
	// of labels; nil when unknown.
	PerformanceCI map[string][2]float64
	// EstimatedPerformance is quality estimated without labels (CBPE from
	// the calibration histograms, or the exporter's own estimate), metric
	// -> estimate; nil when none. Calibration says what a CBPE estimate
	// rests on (nil for an exporter's estimate or without calibration data).
	EstimatedPerformance map[string]Estimate
	Calibration          *Calibration
	// Counts are the verdict window's counts; nil when unknown.
	Counts *Counts
	// Objectives are the inputs of the latency and burn-rate checks.
	Objectives Objectives

	Drift *Drift
	// DataQuality is the inputs' quality against the reference; nil when
	// nothing measured it.
	DataQuality *DataQuality
	GroundTruth GroundTruth
	Lineage     *Lineage

	InRegistry bool
	Serving    bool
	// WarmingUp is true while the version's series are younger than the
	// rate window: its rates are not settled yet.
	WarmingUp bool
	// StaleSince is when the version's data was last fresh, when it is no
	// longer: the exporter it came from is down and the values shown are
	// the last ones it gave. Zero when the data is current.
	StaleSince time.Time
	// DuplicateSeries lists the roles whose answer held more than one
	// series for this version (an override query without sum by): summed
	// where that is meaningful, otherwise the worst kept; judged as a
	// data problem.
	DuplicateSeries []Role
	Health          Health

	// Judged (internal/judge):
	// ErrorStatus is the error ratio against its threshold (ok, warn,
	// critical); unknown when there is no ratio to judge.
	ErrorStatus Status
	// Quality is the headline metric against its baseline; nil when the
	// version has no quality metric at all.
	Quality *Quality
	// Data says whether the figures are current and believable.
	Data DataState
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
	// Labels is how many labelled predictions arrived in the window live
	// quality is judged over.
	Labels *float64
	// QualityAsOf is the time up to which labels are mostly complete: now
	// minus the larger of the delay p95 and the newest label's age. Live
	// quality describes predictions made before it. Zero when unknown.
	QualityAsOf time.Time
	// LowConfidence is true when Labels is below the min_labels threshold:
	// live quality is shown but not judged.
	LowConfidence bool
	// Old is true when the newest label is older than label_age (judged).
	Old bool
	// PredatesVersion is true when QualityAsOf is before the version was
	// created: its own labels are mostly still to come (judged).
	PredatesVersion bool
	// FewLabelled is true when the labelled share is too small to say much
	// (judged).
	FewLabelled bool
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
	// Reference says what computed drift was compared with: "registry" (a
	// profile stored with the version), "7d offset" (the same histograms an
	// offset earlier), or both joined by ", "; "" when nothing was computed.
	Reference string
	// NoData lists the features (PredictionFeature for the output) that have
	// histograms but an empty current or reference window: no verdict.
	NoData []string
	// TooFew are the features of NoData (PredictionFeature for the output)
	// that had data, but fewer observations than their distance needs
	// (drift.min_per_bucket): Method, Observations and MinObservations
	// say which and how many; Score is NaN, Drifted nil.
	TooFew []FeatureDrift
	// ReferenceError says why the version's registry profile could not be
	// used ("bad reference: ..."); "" when it could or there is none.
	ReferenceError string
	// Outputs are every score of the model's output, one per method, as
	// the merge found them; the judge picks Prediction from them.
	Outputs []FeatureDrift

	// Judged (internal/judge):
	// Worst is the finding to show for the version: the worst judged
	// feature or the prediction, whichever is worse; nil without scores.
	Worst *FeatureDrift
	// Judged counts the features with a verdict; DriftedFeatures names
	// those drifted (by any method), each once, sorted.
	Judged          int
	DriftedFeatures []string
	// Share is the share of drifted features at which Drifted is set.
	Share float64
}

// FeatureDrift is the drift of one input feature.
type FeatureDrift struct {
	Feature   string
	Score     float64
	Method    string
	Threshold *float64
	PValue    *float64
	Drifted   *bool
	// Source says where the score comes from: DriftExported (an
	// exporter's model_drift_score) or DriftComputed (by mltop from
	// histograms); "" when not known.
	Source string
	// Observations is, for a feature without a verdict for too few
	// observations, the count of the window that fell short
	// (ObservationsWindow: "current" or "reference"), and MinObservations
	// the least its distance needs; nil otherwise.
	Observations       *float64
	MinObservations    *float64
	ObservationsWindow string
	// Severity scales Score so that 1 is the threshold and larger is
	// worse, whatever the method's direction (judged; nil without a
	// threshold).
	Severity *float64
}

// Where a drift score comes from (FeatureDrift.Source).
const (
	DriftExported = "exported"
	DriftComputed = "computed"
)

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
	// Analysis are the analysis runs of the rollout's latest revision, by
	// name; nil when the metrics show none.
	Analysis []AnalysisRun
}

// The phases of an analysis run and of its metrics, as Argo Rollouts has them.
const (
	AnalysisPending      = "Pending"
	AnalysisRunning      = "Running"
	AnalysisSuccessful   = "Successful"
	AnalysisFailed       = "Failed"
	AnalysisError        = "Error"
	AnalysisInconclusive = "Inconclusive"
)

// AnalysisRun is one analysis of a rollout and the phase of each metric.
type AnalysisRun struct {
	Name    string
	Phase   string
	Metrics []AnalysisMetric // by name
}

// AnalysisMetric is one metric of an analysis run.
type AnalysisMetric struct {
	Name, Phase string
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
