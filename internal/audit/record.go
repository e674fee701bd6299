// Package audit is mltop's append-only action log: one JSON object per
// line, one line per state change of an action, made durable (fsync)
// before the action's request is sent. Secrets never enter it.
package audit

import "time"

// State is where an action stands.
type State string

// The states an action goes through: requested, then one of the outcomes;
// or refused, with nothing sent.
const (
	Requested State = "requested"
	Succeeded State = "succeeded"
	Failed    State = "failed"
	Unknown   State = "unknown" // sent, but no answer: it may or may not have happened
	Refused   State = "refused"
)

// The states of an action that needs a second operator (actions.two_person):
// it waits, then is approved (and then sent: requested, an outcome), rejected
// or expired. Records in these states carry the request's id.
const (
	AwaitingApproval State = "awaiting-approval"
	Approved         State = "approved"
	Rejected         State = "rejected"
	Expired          State = "expired"
)

// Final reports whether s ends an action.
func (s State) Final() bool { return s != Requested && s != AwaitingApproval && s != Approved }

// Actor is who asked for an action.
type Actor struct {
	User string `json:"user"`
	Role string `json:"role"`
	// KeyFingerprint is the SSH key's SHA256 fingerprint, for `mltop serve`.
	KeyFingerprint string `json:"key_fingerprint,omitempty"`
	Host           string `json:"host,omitempty"`
}

// Response summarises what the target answered.
type Response struct {
	Status  int    `json:"status,omitempty"` // HTTP status; 0 when there was no answer
	RunID   string `json:"run_id,omitempty"`
	URL     string `json:"url,omitempty"`
	Message string `json:"message,omitempty"`
}

// Record is one line of the log.
type Record struct {
	Time   time.Time `json:"time"` // RFC 3339 with nanoseconds
	ID     string    `json:"id"`   // the request id, shared by every record of one action
	State  State     `json:"state"`
	Actor  Actor     `json:"actor"`
	Action string    `json:"action"` // rollback, retrain, or a custom action's key
	Title  string    `json:"title,omitempty"`
	Model  string    `json:"model"`
	// Before and After say what changed, e.g. {"alias": "champion", "version": "8"}.
	Before   map[string]string `json:"before,omitempty"`
	After    map[string]string `json:"after,omitempty"`
	Reason   string            `json:"reason,omitempty"`
	Adapter  string            `json:"adapter,omitempty"` // the kind: mlflow-alias, airflow, ...
	Target   string            `json:"target,omitempty"`  // URL without credentials or query
	Response *Response         `json:"response,omitempty"`
	Duration float64           `json:"duration_seconds,omitempty"`
	// RequestedBy is who asked, on an approved or rejected record (whose
	// Actor is the second operator).
	RequestedBy string `json:"requested_by,omitempty"`
	// ApprovedBy is the second operator on the records of an approved
	// action sent; Approval is the approval's request id.
	ApprovedBy string `json:"approved_by,omitempty"`
	Approval   string `json:"approval,omitempty"`
	// Context is the config context the action was taken in; "" for a
	// config without contexts (such a record belongs to no context).
	Context string `json:"context,omitempty"`
}
