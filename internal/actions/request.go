// Package actions carries out what an operator asks for — rollback,
// retrain, custom actions — under mltop's safety rules: permitted (role,
// read-only, model state), one action per model at a time, sent exactly
// once with a time limit, and recorded in the audit log before it is sent.
// The dashboard, `mltop serve` and the CLI all go through an Executor.
//
// Each action kind (mlflow-alias, webhook, airflow, ...) is one file that
// owns its config keys, defaults, checks and adapter, and registers itself
// with the config loader in init (see kind.go); webhook.go is the smallest.
package actions

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
)

// The built-in actions; custom actions are named by their key.
const (
	Rollback = "rollback"
	Retrain  = "retrain"
)

// Outcome is how an Execute ended.
type Outcome string

// Outcomes, named as the audit log's final states.
const (
	Succeeded Outcome = "succeeded"
	Failed    Outcome = "failed"  // the target said no, or nothing could be sent
	Unknown   Outcome = "unknown" // sent, but no clear answer: check by hand (Result.Check)
	Refused   Outcome = "refused" // a rule forbade it; nothing was sent
	// Pending: held for a second operator's approval (Approvals.Hold);
	// nothing was sent yet.
	Awaiting Outcome = "awaiting-approval"
)

// Actor is who asks: the local user, or an SSH user with key fingerprint.
type Actor = audit.Actor

// Request asks for one action on one model.
type Request struct {
	// ID is the request id (Plan.ID); it becomes the idempotency key. A
	// request id is sent at most once: a second Execute with the same id is
	// refused. Empty makes a new id.
	ID     string
	Action string // Rollback, Retrain, or a custom action's key
	Model  string
	To     string // rollback: the version to return to; "" = the plan's default
	Reason string
	// Confirm is the model name as the operator typed it, when the plan
	// says TypedName.
	Confirm string
	Actor   Actor
	// Snapshot is the model as the dashboard last saw it (health, drift,
	// rollout); optional. It decides custom actions' states and the retrain
	// summary.
	Snapshot *fleet.Model
	// Approval is the request id of a second operator's approval recorded
	// in the audit log, for a model that needs one (actions.two_person).
	Approval string
	// Context is the config context the plan was made in (Plan.Context):
	// an executor of another context refuses the request. "" says none.
	Context string

	approvedBy string // the approval's operator, once checked
	// Silence: how long it lasts (MinSilence to MaxSilence), and the
	// version and alert name it matches besides the model ("" = any).
	For     time.Duration
	Version string
	Alert   string
	// SilenceID is the silence an Unsilence expires; its model, when
	// Model is empty, is the one its matcher names.
	SilenceID string

	// Evidence is the judge's verdict of the model's canary against its
	// stable version, from the same snapshot: a rollout verb's plan shows
	// it and its audit record keeps the outcome. nil: none was taken.
	Evidence *fleet.Verdict
}

// Result is what became of a request.
type Result struct {
	ID      string
	Action  string
	Model   string
	Outcome Outcome
	Message string // plain words, for the operator
	// Check says what to look at by hand when the outcome is Unknown.
	Check  string
	Status int // HTTP status of the answer; 0 when there was none
	RunID  string
	RunURL string
	// Before and After say what changed (or would have), as recorded.
	Before, After map[string]string
	Duration      time.Duration
	// Recorded is false when the outcome could not be written to the audit
	// log; Message then says so.
	Recorded bool
}

// NewID returns a fresh request id: "mltop-" and 16 hex digits, valid as an
// Airflow run id and a Kubernetes object name.
func NewID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return "mltop-" + hex.EncodeToString(b)
}
