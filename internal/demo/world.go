package demo

import (
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"
)

const (
	// maxStep bounds one simulation step (real time), so that story events
	// (canary steps, drift jobs, label batches) land in order even when a
	// test advances by hours at once.
	maxStep = time.Second
	// driftEvery is the cadence of the simulated scheduled drift job.
	driftEvery = 15 * time.Minute
)

// world is the whole simulation. Every field is guarded by Fleet.mu.
type world struct {
	clock   clock
	models  []*simModel
	byName  map[string]*simModel
	reg     *registry
	trainer *trainer
	ids     *rand.Rand // identifiers of runs created at run time
	nextJob time.Duration
	log     *slog.Logger
}

// simModel is one model's serving state.
type simModel struct {
	spec      *modelSpec
	rng       *rand.Rand
	load      float64 // multiplicative traffic wander around 1
	specs     map[int]versionSpec
	versions  map[int]*simVersion // versions that have served at some point
	stable    int
	shadow    int
	rollout   *rolloutState // nil: no rollout controller, no rollout series
	lastLabel time.Duration // story offset of the newest label landing
}

// simVersion is one version's exported state.
type simVersion struct {
	spec     versionSpec
	refShift map[string]float64   // numeric reference: population shift at training time
	refProbs map[string][]float64 // categorical reference shares
	bounds   map[string][]float64 // reference deciles per numeric feature
	track    string               // "" when not serving
	weight   float64

	predictions, errors, labeled uint64
	latency, output, delays      *histogram
	features                     map[string]*histogram
	cats                         map[string]*categories
	missing                      map[string]uint64 // predictions without the feature, by feature
	perf                         map[string]float64
	drift                        map[string]float64
	labelled                     *labelled // nil unless the model exports calibration
}

func newWorld(seed int64, start time.Time, speed float64, log *slog.Logger) *world {
	w := &world{
		clock:  clock{start: start, speed: speed},
		byName: map[string]*simModel{},
		reg:    newRegistry(),
		ids:    rand.New(rand.NewPCG(uint64(seed), streamOf("ids"))),
		log:    log,
	}
	w.trainer = newTrainer()
	for _, spec := range stories() {
		m := &simModel{
			spec:     spec,
			rng:      rand.New(rand.NewPCG(uint64(seed), streamOf(spec.name))),
			load:     1,
			specs:    map[int]versionSpec{},
			versions: map[int]*simVersion{},
			stable:   spec.stable,
			shadow:   spec.shadow,
		}
		for _, v := range spec.versions {
			m.specs[v.number] = v
		}
		if spec.labels != nil {
			m.lastLabel = -spec.labels.initialAge
		}
		if spec.strategy != "" {
			m.rollout = &rolloutState{strategy: spec.strategy, phase: phaseHealthy}
		}
		if c := spec.canary; c != nil {
			m.rollout.canary = &canaryState{version: c.version, step: c.step, since: -c.inStep}
		}
		w.models = append(w.models, m)
		w.byName[spec.name] = m
		w.reg.addCatalog(spec, start)
		m.progressRollout(0)
	}
	w.reg.addPrompt(start)
	w.runDriftJob()
	w.nextJob = driftEvery
	return w
}

// streamOf derives a random stream id from a name, so each model draws from
// its own stream and adding a model does not change the others.
func streamOf(name string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	return h.Sum64()
}

// advance simulates d of real time.
func (w *world) advance(d time.Duration) {
	for d > 0 {
		dt := min(d, maxStep)
		d -= dt
		w.step(dt)
	}
}

func (w *world) step(dt time.Duration) {
	w.clock.real += dt
	s := w.clock.elapsed()
	w.trainer.progress(w, s)
	for _, m := range w.models {
		m.progressRollout(s)
		m.landLabels(s)
		m.serve(dt, s)
		for _, n := range m.servingOrder() {
			m.replayBacklog(m.versions[n], dt, w.clock.speed)
		}
	}
	for s >= w.nextJob {
		w.runDriftJob()
		w.nextJob += driftEvery
	}
}

// ensure returns the state of version n, creating it with its reference
// distributions fixed at training time when it first serves.
func (m *simModel) ensure(n int, s time.Duration) *simVersion {
	if v, ok := m.versions[n]; ok {
		return v
	}
	spec, ok := m.specs[n]
	if !ok {
		spec = m.spec.template
		spec.number = n
	}
	trainedAt := time.Duration(0)
	if spec.age == 0 {
		trainedAt = s // registered during the story: trained on today's data
	}
	v := &simVersion{
		spec:     spec,
		refShift: map[string]float64{},
		refProbs: map[string][]float64{},
		bounds:   map[string][]float64{},
		latency:  newHistogram(latencyBounds),
		output:   newHistogram(m.spec.predBounds),
		delays:   newHistogram(labelDelayBounds),
		features: map[string]*histogram{},
		cats:     map[string]*categories{},
		missing:  map[string]uint64{},
		perf:     map[string]float64{},
		drift:    map[string]float64{},
	}
	if m.spec.meanLatencyOnly {
		v.latency = newHistogram(nil)
	}
	if m.scoreTruth() {
		v.labelled = newLabelled(m.spec.predBounds)
	}
	for i := range m.spec.features {
		f := &m.spec.features[i]
		if f.categorical() {
			v.refProbs[f.name] = normalise(f.probs)
			if spec.age == 0 {
				v.refProbs[f.name] = normalise(f.current)
			}
			v.cats[f.name] = newCategories(f.categories)
			continue
		}
		if spec.age == 0 {
			v.refShift[f.name] = f.shiftAt(trainedAt)
		}
		v.bounds[f.name] = deciles(f.base.shifted(v.refShift[f.name]))
		v.features[f.name] = newHistogram(v.bounds[f.name])
	}
	m.versions[n] = v
	m.measureQuality(v, s)
	return v
}

// servingOrder lists the versions that have served, in version order.
func (m *simModel) servingOrder() []int {
	out := make([]int, 0, len(m.versions))
	for n := range m.versions {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
