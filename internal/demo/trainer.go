package demo

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"
)

// Training runs started by the retrain webhook.
const (
	trainQueue    = 30 * time.Second // story time a run waits for a worker
	trainDuration = 20 * time.Minute // story time a run trains
	// TrainingTime is the story time from a retrain request to the new
	// version being registered and its canary starting.
	TrainingTime = trainQueue + trainDuration

	runQueued    = "queued"
	runRunning   = "running"
	runSucceeded = "succeeded"
	runFailed    = "failed"
)

// WebhookRequest is one request received by the retrain receiver.
type WebhookRequest struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

type trainingRun struct {
	id, model, reason, key string
	requested              time.Duration // story offset
	requestedAt            time.Time     // simulated wall clock
	state                  string
	version                int
	err                    string
}

type trainer struct {
	runs     []*trainingRun // in request order
	byID     map[string]*trainingRun
	byKey    map[string]*trainingRun // Idempotency-Key -> run
	received []WebhookRequest
}

func newTrainer() *trainer {
	return &trainer{byID: map[string]*trainingRun{}, byKey: map[string]*trainingRun{}}
}

// request starts a training run, or returns the run already started under
// the same idempotency key.
func (w *world) requestTraining(model, reason, key string) (*trainingRun, error) {
	t := w.trainer
	if run, ok := t.byKey[key]; ok && key != "" {
		return run, nil
	}
	sm, ok := w.byName[model]
	if !ok {
		return nil, notFound("model %q is not registered", model)
	}
	run := &trainingRun{
		id:    fmt.Sprintf("%016x%016x", w.ids.Uint64(), w.ids.Uint64()),
		model: model, reason: reason, key: key,
		requested: w.clock.elapsed(), requestedAt: w.clock.wall(),
		state: runQueued,
	}
	t.runs = append(t.runs, run)
	t.byID[run.id] = run
	if key != "" {
		t.byKey[key] = run
	}
	w.reg.runs[run.id] = w.trainingRunRecord(sm.spec, run)
	w.log.Info("retrain requested", "model", model, "run_id", run.id, "reason", reason)
	return run, nil
}

// trainingRunRecord is the MLflow run that a training run logs to.
func (w *world) trainingRunRecord(spec *modelSpec, run *trainingRun) *regRun {
	now := w.clock.wallMillis()
	rec := &regRun{
		id: run.id, name: "retrain-" + run.id[:8], experimentID: spec.experimentID,
		user: "retrain-bot@example.com", status: "SCHEDULED", start: now,
		artifactURI: fmt.Sprintf("s3://mlflow-artifacts/%s/%s/artifacts", spec.experimentID, run.id),
		history:     map[string][]metric{},
	}
	for _, k := range slices.Sorted(maps.Keys(spec.params)) {
		rec.params = append(rec.params, tag{k, spec.params[k]})
	}
	rec.params = append(rec.params, tag{"trigger_reason", run.reason})
	rec.tags = []tag{
		{"mlflow.runName", rec.name},
		{"mlflow.user", rec.user},
		{"mlflow.source.name", spec.sourceName},
		{"mlflow.source.type", "JOB"},
		{"mlflow.source.git.commit", gitCommit("commit", spec.name, run.id)},
	}
	rec.inputs = []datasetInput{{
		name: spec.dataset.name, digest: hexID(8, "dataset", run.id),
		sourceType: spec.dataset.sourceType, source: spec.dataset.source, context: "training",
	}}
	return rec
}

// progress moves runs along: queued, running, then a registered version.
func (t *trainer) progress(w *world, s time.Duration) {
	for _, run := range t.runs {
		rec := w.reg.runs[run.id]
		if run.state == runQueued && s >= run.requested+trainQueue {
			run.state = runRunning
			rec.status, rec.start = "RUNNING", w.clock.wallMillis()
		}
		if run.state == runRunning && s >= run.requested+TrainingTime {
			rec.status, rec.end = "FINISHED", w.clock.wallMillis()
			v, err := w.registerTrained(run.model, run.id, s)
			if err != nil {
				run.state, run.err, rec.status = runFailed, err.Error(), "FAILED"
				continue
			}
			run.state, run.version = runSucceeded, v
		}
	}
}
