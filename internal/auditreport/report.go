// Package auditreport is `mltop report`: the record a model-risk review asks
// for, per model, over a period: the versions that served and when, every
// action from the audit log with who, why and outcome, alerts and error
// ratio breaches, drift and quality episodes, and the registry's alias
// history. It is made from what mltop already keeps (the audit log, the
// registry history) and what the metrics server remembers (range queries).
// What could not be read is said, section by section, never left out.
package auditreport

import "time"

// Schema names the JSON layout (docs/report.md); it changes when a field
// changes meaning or goes away, not when one is added.
const Schema = "mltop.report/v1"

// Section names.
const (
	SectionServed   = "served"
	SectionActions  = "actions"
	SectionAlerts   = "alerts"
	SectionBreaches = "breaches"
	SectionDrift    = "drift"
	SectionQuality  = "quality"
	SectionRegistry = "registry"
)

// Sections in the order they are reported.
var Sections = []string{SectionServed, SectionActions, SectionAlerts, SectionBreaches, SectionDrift, SectionQuality, SectionRegistry}

// Section statuses.
const (
	StatusOK      = "ok"
	StatusUnknown = "unknown" // could not be read at all: nothing below is known
	StatusPartial = "partial" // read, with a gap the detail says
)

// Report is the whole report. Every text in it that a server or a file
// gave has been cleaned for a terminal.
type Report struct {
	Schema      string    `json:"schema"`
	GeneratedAt time.Time `json:"generated_at"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	// Model is the --model filter; empty for every model.
	Model string `json:"model,omitempty"`
	// Context is the config context the report covers (its sources, its
	// records of the audit log); empty without contexts.
	Context string `json:"context,omitempty"`
	// Step is the range queries' resolution, in seconds: an episode's
	// edges are known to within one step.
	StepSeconds float64  `json:"step_seconds"`
	Sections    []Status `json:"sections"`
	Models      []Model  `json:"models"`
}

// Status says whether a section could be read.
type Status struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// Model is one model's record.
type Model struct {
	Name     string    `json:"name"`
	Served   []Served  `json:"served"`
	Actions  []Action  `json:"actions"`
	Alerts   []Episode `json:"alerts"`
	Breaches []Episode `json:"breaches"`
	Drift    []Episode `json:"drift"`
	Quality  []Episode `json:"quality"`
	Registry []Change  `json:"registry"`
}

// Served is a stretch of time a version took traffic.
type Served struct {
	Version    string    `json:"version"`
	From       time.Time `json:"from"`
	To         time.Time `json:"to"`
	Share      float64   `json:"share"`
	ErrorRatio *float64  `json:"error_ratio"`
}

// Action is one action of the audit log, as it ended (or stands).
type Action struct {
	ID          string    `json:"id"`
	Requested   time.Time `json:"requested"` // its first record
	Time        time.Time `json:"time"`      // its last record
	Action      string    `json:"action"`
	Change      string    `json:"change,omitempty"` // "champion 8 → 7"
	State       string    `json:"state"`            // the outcome: succeeded, failed, unknown, refused, ...
	User        string    `json:"user"`
	Host        string    `json:"host,omitempty"`
	Role        string    `json:"role"`
	RequestedBy string    `json:"requested_by,omitempty"`
	ApprovedBy  string    `json:"approved_by,omitempty"`
	Reason      string    `json:"reason"`
	Outcome     string    `json:"outcome,omitempty"` // what the target answered
}

// Episode is a stretch of time something held: an alert fired, the error
// ratio was at or over its threshold, a feature drifted, quality was below
// its baseline by the threshold or more. From and To are the first and
// last steps it was seen at; Ongoing when it still held at the report's end.
type Episode struct {
	Version string    `json:"version,omitempty"`
	Name    string    `json:"name,omitempty"`   // alerts: the alert; drift: the feature; quality: the metric
	Method  string    `json:"method,omitempty"` // drift: the method
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Ongoing bool      `json:"ongoing"`
	// Peak is the worst value seen (the highest error ratio or drift
	// distance, the lowest p-value, the largest quality drop); nil for alerts.
	Peak      *float64 `json:"peak,omitempty"`
	Threshold *float64 `json:"threshold,omitempty"`
	// Baseline is quality's offline baseline from the registry.
	Baseline *float64 `json:"baseline,omitempty"`
}

// Change is one registry change mltop saw.
type Change struct {
	Time    time.Time `json:"time"`
	Alias   string    `json:"alias,omitempty"`
	Version string    `json:"version,omitempty"` // a stage change's version
	From    string    `json:"from"`
	To      string    `json:"to"`
}
