package fleet

import "time"

// ServedInterval is a stretch of time in which a version took traffic, as
// the traffic history shows it at its step.
type ServedInterval struct {
	Version string
	// From is the first step the version was seen taking traffic; To the
	// last (the newest step when it still serves).
	From, To time.Time
	// Share is the version's mean share of the model's traffic over the
	// interval, 0..1.
	Share float64
	// ErrorRatio is the mean error ratio over the interval; nil when unknown.
	ErrorRatio *float64
	// LastDayErrorRatio is the mean error ratio over the interval's last
	// day (all of it when shorter): a version that broke at the end of a
	// long run shows it here, not in the whole run's mean. Nil when unknown.
	LastDayErrorRatio *float64
	// Quality is the headline quality metric's mean over the interval
	// (metric -> value); nil when unknown.
	Quality map[string]float64
}

// RegistryChange is one alias or stage change mltop saw between two
// registry reads. Exactly one of Alias and Version is set: an alias move
// has From and To as versions ("" when the alias was created or removed);
// a stage change has them as stages.
type RegistryChange struct {
	// Time is when mltop saw the change (the read that first showed it).
	Time    time.Time
	Model   string
	Alias   string
	Version string
	From    string
	To      string
}

// EventKind says what an Event is.
type EventKind string

// Kinds of events marked on graphs and listed under them.
const (
	EventDeploy      EventKind = "deploy"       // a version's first traffic
	EventAlias       EventKind = "alias"        // an alias moved
	EventStage       EventKind = "stage"        // a version's stage changed
	EventRolloutStep EventKind = "rollout_step" // a rollout moved a step
	EventAction      EventKind = "action"       // mltop's own action (audit log)
	EventDriftOnset  EventKind = "drift"        // drift began
	EventAlert       EventKind = "alert"        // an alert began firing
)

// Event is something that happened to a model at a time.
type Event struct {
	Time    time.Time
	Kind    EventKind
	Model   string
	Version string // "" when the event is not about one version
	// Text is one line in plain words, already cleaned for a terminal.
	Text string
}
