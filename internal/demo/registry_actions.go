package demo

import (
	"strconv"
	"time"

	"github.com/mltop/mltop/internal/drift/histdrift"
)

// The registry mutations. They live on world because a deployment
// controller watches the registry: the champion alias (or a transition to
// Production) decides which version serves as stable.

const championAlias = "champion"

func (w *world) setAlias(name, alias, version string) error {
	if err := validAlias(alias); err != nil {
		return err
	}
	m, v, err := w.reg.version(name, version)
	if err != nil {
		return err
	}
	m.aliases[alias] = v.number
	now := m.touch(w.clock.wallMillis())
	v.updated = now
	if alias == championAlias {
		w.follow(name, v.number)
	}
	w.log.Info("registry alias set", "model", name, "alias", alias, "version", v.number)
	return nil
}

func (w *world) deleteAlias(name, alias string) error {
	if alias == "" {
		return invalidParam("Missing value for required parameter 'alias'.")
	}
	m, err := w.reg.model(name)
	if err != nil {
		return err
	}
	if _, ok := m.aliases[alias]; !ok {
		return notFound("Registered model alias %s not found.", alias)
	}
	delete(m.aliases, alias)
	m.touch(w.clock.wallMillis())
	return nil
}

// aliasVersion resolves an alias.
func (w *world) aliasVersion(name, alias string) (*regModel, *regVersion, error) {
	m, err := w.reg.model(name)
	if err != nil {
		return nil, nil, err
	}
	n, ok := m.aliases[alias]
	if !ok {
		return nil, nil, notFound("Registered model alias %s not found.", alias)
	}
	return m, m.find(n), nil
}

func (w *world) transitionStage(name, version, stage string, archiveExisting bool) (*regModel, *regVersion, error) {
	st, ok := stageName(stage)
	if !ok {
		return nil, nil, invalidParam("Invalid Model Version stage: %s. Value must be one of None, Staging, Production, Archived.", stage)
	}
	m, v, err := w.reg.version(name, version)
	if err != nil {
		return nil, nil, err
	}
	now := m.touch(w.clock.wallMillis())
	if archiveExisting && (st == "Staging" || st == "Production") {
		for _, o := range m.versions {
			if o != v && o.stage == st {
				o.stage, o.updated = "Archived", now
			}
		}
	}
	v.stage, v.updated = st, now
	if st == "Production" {
		w.follow(name, v.number)
	}
	return m, v, nil
}

// createVersion registers a new version (model-versions/create).
func (w *world) createVersion(name, source, runID, description string, tags []tag) (*regModel, *regVersion, error) {
	m, err := w.reg.model(name)
	if err != nil {
		return nil, nil, err
	}
	now := m.touch(w.clock.wallMillis())
	v := &regVersion{
		number: m.latest() + 1, created: now, updated: now,
		user: "demo@example.com", stage: "None", description: description,
		source: source, runID: runID, status: "READY", tags: tags,
	}
	m.versions = append(m.versions, v)
	return m, v, nil
}

func (w *world) setVersionTag(name, version, key, value string) error {
	if key == "" {
		return invalidParam("Missing value for required parameter 'key'.")
	}
	m, v, err := w.reg.version(name, version)
	if err != nil {
		return err
	}
	v.tags = setTag(v.tags, key, value)
	v.updated = m.touch(w.clock.wallMillis())
	return nil
}

// follow is the deployment controller: version n of the named model
// becomes the stable one, if the model is served at all.
func (w *world) follow(name string, n int) {
	if m, ok := w.byName[name]; ok {
		w.log.Info("traffic moves to new stable version", "model", name, "version", n, "previous", m.stable)
		m.rollTo(n, w.clock.elapsed())
	}
}

// registerTrained adds the version produced by a finished training run:
// offline metrics a little better than the best version so far, alias
// challenger, and a canary that starts at once.
func (w *world) registerTrained(name, runID string, s time.Duration) (int, error) {
	sm, ok := w.byName[name]
	if !ok {
		return 0, notFound("Registered Model with name=%s not found", name)
	}
	m, err := w.reg.model(name)
	if err != nil {
		return 0, err
	}
	spec := sm.spec.template
	spec.number = m.latest() + 1
	spec.user, spec.runName = "retrain-bot@example.com", "retrain-"+strconv.Itoa(spec.number)
	spec.description = "retrained on the latest window"
	spec.offline = map[string]float64{}
	for _, vs := range sm.specs {
		for k, v := range vs.offline {
			if best, ok := spec.offline[k]; !ok || better(k, v, best) {
				spec.offline[k] = v
			}
		}
	}
	for k, v := range spec.offline {
		if lowerIsBetter(k) {
			spec.offline[k] = v * 0.98
		} else {
			spec.offline[k] = v + 0.005
		}
	}
	sm.specs[spec.number] = spec

	run := w.reg.runs[runID]
	now := w.clock.wallMillis()
	created := m.touch(now)
	v := &regVersion{
		number: spec.number, created: created, updated: created,
		user: spec.user, stage: "None", description: spec.description,
		source: run.artifactURI + "/model", runID: runID, status: "READY",
		tags: []tag{{"validation_status", "passed"}},
	}
	// Trained on the population of now, as ensure will reference it.
	if ref, ok := referenceTag(sm.spec, spec, true, s, time.UnixMilli(created)); ok {
		v.tags = append(v.tags, tag{histdrift.TagKey, ref})
	}
	m.versions = append(m.versions, v)
	run.setMetrics(spec.offline)
	m.aliases["challenger"] = spec.number
	sm.startCanary(spec.number, s)
	w.log.Info("retrained version registered, canary started", "model", name, "version", spec.number)
	return spec.number, nil
}

func better(metric string, a, b float64) bool {
	if lowerIsBetter(metric) {
		return a < b
	}
	return a > b
}
