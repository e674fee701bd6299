package demo

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/drift/histdrift"
)

// hexID derives a stable identifier of n hex digits from names, so the
// registry's run ids, commits and digests read the same on every start.
func hexID(n int, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "/")))
	return hex.EncodeToString(sum[:])[:n]
}

func gitCommit(parts ...string) string {
	sum := sha1.Sum([]byte(strings.Join(parts, "/")))
	return hex.EncodeToString(sum[:])
}

// promotedAfter is how long after registration a version became champion.
const promotedAfter = 2 * time.Hour

// addCatalog registers a story's model, its versions and their runs, with
// timestamps in the past of start.
func (r *registry) addCatalog(spec *modelSpec, start time.Time) {
	ms := func(ago time.Duration) int64 { return start.Add(-ago).UnixMilli() }
	oldest := spec.versions[0].age
	m := &regModel{
		name:        spec.name,
		description: spec.description,
		created:     ms(oldest + 2*day),
		tags: []tag{
			{"owner", spec.owner}, {"team", spec.team}, {"risk_tier", spec.risk},
		},
		aliases: map[string]int{},
	}
	for _, vs := range spec.versions {
		created := ms(vs.age)
		updated := created + int64(promotedAfter/time.Millisecond)
		run := newRun(spec, vs, created)
		r.runs[run.id] = run
		v := &regVersion{
			number: vs.number, created: created, updated: updated,
			user: vs.user, stage: vs.stage, description: vs.description,
			source: run.artifactURI + "/model", runID: run.id, status: "READY",
			tags: []tag{{"validation_status", "passed"}},
		}
		if strings.HasPrefix(vs.description, "rejected") {
			v.tags[0].value = "failed"
		}
		if ref, ok := referenceTag(spec, vs, vs.age == 0, 0, time.UnixMilli(created)); ok {
			v.tags = append(v.tags, tag{histdrift.TagKey, ref})
		}
		m.versions = append(m.versions, v)
		m.updated = max(m.updated, updated)
	}
	for _, alias := range slices.Sorted(maps.Keys(spec.aliases)) {
		m.aliases[alias] = spec.aliases[alias]
	}
	if spec.name == "payments-fraud" {
		// The incident: v8 became champion 45 minutes before the start.
		m.find(8).updated = ms(45 * time.Minute)
		m.updated = ms(45 * time.Minute)
	}
	r.models[m.name] = m
}

// newRun builds the training run behind a version, finished just before
// the version was registered at created (ms).
func newRun(spec *modelSpec, vs versionSpec, created int64) *regRun {
	id := hexID(32, "run", spec.name, fmt.Sprint(vs.number))
	end := created - int64(10*time.Minute/time.Millisecond)
	start := end - int64(90*time.Minute/time.Millisecond)
	run := &regRun{
		id: id, name: vs.runName, experimentID: spec.experimentID, user: vs.user,
		status: "FINISHED", start: start, end: end,
		artifactURI: fmt.Sprintf("s3://mlflow-artifacts/%s/%s/artifacts", spec.experimentID, id),
		history:     map[string][]metric{},
	}
	run.setMetrics(vs.offline)
	for _, k := range slices.Sorted(maps.Keys(spec.params)) {
		run.params = append(run.params, tag{k, spec.params[k]})
	}
	window := time.UnixMilli(created).UTC().Add(-day).Format(time.DateOnly)
	run.params = append(run.params, tag{"train_window_end", window})
	run.tags = []tag{
		{"mlflow.runName", vs.runName},
		{"mlflow.user", vs.user},
		{"mlflow.source.name", spec.sourceName},
		{"mlflow.source.type", "JOB"},
		{"mlflow.source.git.commit", gitCommit("commit", spec.name, fmt.Sprint(vs.number))},
	}
	run.inputs = []datasetInput{{
		name:       spec.dataset.name,
		digest:     hexID(8, "dataset", spec.name, fmt.Sprint(vs.number)),
		sourceType: spec.dataset.sourceType,
		source:     spec.dataset.source,
		context:    "training",
	}}
	return run
}

// setMetrics records final offline metrics and a short learning curve
// leading to each, logged during the run.
func (run *regRun) setMetrics(final map[string]float64) {
	const steps = 5
	run.metrics = nil
	for _, k := range slices.Sorted(maps.Keys(final)) {
		v := final[k]
		first := v - 0.08
		if lowerIsBetter(k) {
			first = v * 1.4
		}
		hist := make([]metric, steps)
		for i := range steps {
			frac := float64(i) / (steps - 1)
			at := run.start + int64(frac*float64(run.end-run.start-60000))
			hist[i] = metric{key: k, value: first + (v-first)*(1-(1-frac)*(1-frac)), timestamp: at, step: int64(i * 12)}
		}
		hist[steps-1].value = v
		run.history[k] = hist
		run.metrics = append(run.metrics, hist[steps-1])
	}
}

// addPrompt registers a prompt, as MLflow 3 stores prompts in the model
// registry; clients must recognise and skip it by its tag.
func (r *registry) addPrompt(start time.Time) {
	ms := func(ago time.Duration) int64 { return start.Add(-ago).UnixMilli() }
	m := &regModel{
		name:        "support-reply-prompt",
		description: "Prompt template for drafting customer-support replies",
		created:     ms(30 * day), updated: ms(6 * day),
		tags:    []tag{{"mlflow.prompt.is_prompt", "true"}, {"team", "support-ai"}},
		aliases: map[string]int{"production": 2},
	}
	texts := []string{
		"Reply politely to the customer: {{question}}",
		"You are a support agent. Answer briefly and cite the policy: {{question}}",
	}
	for i, text := range texts {
		created := ms(time.Duration(30-24*i) * day)
		m.versions = append(m.versions, &regVersion{
			number: i + 1, created: created, updated: created,
			user: "support-ai@example.com", stage: none, status: "READY",
			tags: []tag{{"mlflow.prompt.is_prompt", "true"}, {"mlflow.prompt.text", text}},
		})
	}
	r.models[m.name] = m
}
