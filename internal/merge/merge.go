package merge

import (
	"math"
	"sort"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/termsafe"
)

// Label names the merge reads from query results.
const (
	labelModel    model.LabelName = "model"
	labelVersion  model.LabelName = "version"
	labelMetric   model.LabelName = "metric"
	labelTrack    model.LabelName = "track"
	labelFeature  model.LabelName = "feature"
	labelMethod   model.LabelName = "method"
	labelPhase    model.LabelName = "phase"
	labelStrategy model.LabelName = "strategy"
	labelProfile  model.LabelName = "profile"
)

// MergeConfig is what Merge needs besides the data.
type MergeConfig struct {
	DriftThresholds map[string]float64 // per method, for computed drift when Drift is nil
	ServingAlias    string             // registry alias of the version that serves
	CandidateAlias  string             // registry alias of the version being tried
	ModelNames      map[string]string  // serving name (model label) -> registered name
	// Drift computes drift from the feature histogram roles; nil: a new
	// calculator with DriftThresholds and method auto.
	Drift *histdrift.Calculator
	// Histograms are the histogram roles' answers (fleet.HistogramRoles,
	// and score_calibration's) as tables; a histogram role given in Merge's vectors instead is
	// converted, into a new table on every call, so that Drift cannot
	// reuse its last verdict (the poller always passes tables).
	Histograms map[fleet.Role]*labelrows.Table
	// Now is when the data was read; ground truth's QualityAsOf is counted
	// back from it. Zero leaves QualityAsOf unknown.
	Now time.Time
	// Estimate configures the quality estimated without labels; Estimator
	// reuses the last estimate while its tables are the same (nil: none).
	Estimate  EstimateConfig
	Estimator *Estimator
	// Stale names, by their labels in the metrics, the versions whose
	// exporter is down, with when their data was last fresh (see
	// markStale); nil when every exporter answers.
	Stale map[fleet.ModelVersion]time.Time
	// VerdictWindow is the window of the verdict roles' counts.
	VerdictWindow time.Duration
}

// Merged is the outcome of one merge.
type Merged struct {
	Models []fleet.Model
	// Unlabelled counts samples that had no model label and were ignored.
	Unlabelled int
}

// Merge turns query results (by role) and the registry (nil when never read)
// into models, sorted by name, not yet judged (see internal/judge). It builds
// every map and slice afresh, so the result shares nothing mutable with its
// inputs or with earlier results.
func Merge(vectors map[fleet.Role]model.Vector, reg *fleet.Registry, cfg MergeConfig) Merged {
	b := newBuilder(cfg)
	// Roles in a fixed order so that the outcome does not depend on map order.
	for _, role := range fleet.AllRoles {
		if fleet.IsHistogramRole(role) || isCountsRole(role) || isObjectivesRole(role) || role == fleet.RoleScoreCalibration ||
			role == fleet.RoleFeatureMissing || role == fleet.RoleFeatureMissingRef {
			continue // read per version below, not per sample
		}
		b.add(role, vectors[role])
	}
	b.addCounts(vectors[fleet.RoleVerdictCounts], vectors[fleet.RoleVerdictLatency])
	b.addObjectives(vectors)
	if reg != nil {
		b.joinRegistry(reg)
	}
	b.computeDrift(vectors)
	b.computeDataQuality(vectors)
	b.estimateQuality(vectors)
	return Merged{Models: b.build(), Unlabelled: b.unlabelled}
}

type builder struct {
	cfg        MergeConfig
	models     map[string]*modelAcc
	unlabelled int
	nums       floats
}

type modelAcc struct {
	name       string
	serving    bool
	versions   map[string]*versionAcc
	info       *rolloutInfo
	step       *int
	steps      *int
	setWeight  *float64
	analysis   map[string]*fleet.AnalysisRun // by run name
	registered *fleet.RegisteredModel
	aliases    map[string]string
	servingAs  string // the model label, when joined under another (registered) name
	lastWeek   *float64
	hourBefore *float64
}

type versionAcc struct {
	v        fleet.Version
	features []fleet.FeatureDrift
	outputs  []fleet.FeatureDrift // scores of the model's output, one per method
	computed *histdrift.Result    // drift computed from histograms, if any
	weighted bool                 // a traffic_weight sample named this version
	seen     roleSet              // scalar roles that have had a sample
	dups     roleSet              // of those, roles that had more than one
}

type rolloutInfo struct {
	phase, strategy string
	value           float64
}

func newBuilder(cfg MergeConfig) *builder {
	return &builder{cfg: cfg, models: make(map[string]*modelAcc)}
}

func (b *builder) model(name string) *modelAcc {
	m := b.models[name]
	if m == nil {
		m = &modelAcc{name: name, versions: make(map[string]*versionAcc, 2)}
		b.models[name] = m
	}
	return m
}

func (m *modelAcc) version(id string) *versionAcc {
	v := m.versions[id]
	if v == nil {
		v = &versionAcc{v: fleet.Version{Version: id}}
		m.versions[id] = v
	}
	return v
}

// modelRoles carry no version: they describe the model's rollout.
var modelRoles = map[fleet.Role]bool{
	fleet.RoleRolloutInfo:        true,
	fleet.RoleRolloutStep:        true,
	fleet.RoleRolloutSteps:       true,
	fleet.RoleRolloutSetWt:       true,
	fleet.RoleAnalysisRun:        true,
	fleet.RoleAnalysisMetric:     true,
	fleet.RoleRequestsHourBefore: true,
}

func (b *builder) add(role fleet.Role, vec model.Vector) {
	for _, s := range vec {
		if s == nil {
			continue
		}
		name := string(s.Metric[labelModel])
		if name == "" {
			b.unlabelled++
			continue
		}
		m := b.model(name)
		m.serving = true
		if modelRoles[role] {
			b.addModelSample(role, m, s)
			continue
		}
		v := m.version(string(s.Metric[labelVersion]))
		v.v.Serving = true
		b.addVersionSample(role, v, s)
	}
}

func (b *builder) addModelSample(role fleet.Role, m *modelAcc, s *model.Sample) {
	switch role {
	case fleet.RoleRolloutInfo:
		// Info gauges are 1 for the current phase; one-hot exporters also
		// send 0 for the others, which say nothing.
		val := float64(s.Value)
		if !known(val) || val <= 0 {
			return
		}
		in := rolloutInfo{phase: string(s.Metric[labelPhase]), strategy: string(s.Metric[labelStrategy]), value: val}
		if m.info == nil || in.before(*m.info) {
			m.info = &in
		}
	case fleet.RoleRolloutStep:
		if n := intValue(s.Value); n != nil {
			m.step = n
		}
	case fleet.RoleRolloutSteps:
		if n := intValue(s.Value); n != nil {
			m.steps = n
		}
	case fleet.RoleRolloutSetWt:
		if p := b.num(s.Value); p != nil {
			m.setWeight = p
		}
	case fleet.RoleAnalysisRun, fleet.RoleAnalysisMetric:
		m.addAnalysis(role, s)
	case fleet.RoleRequestsHourBefore:
		m.hourBefore = b.addRate(m.hourBefore, s.Value)
	}
}

// before orders competing info samples: highest value, then by name, so
// the choice does not depend on the order of the series.
func (a rolloutInfo) before(c rolloutInfo) bool {
	if a.value != c.value {
		return a.value > c.value
	}
	if a.phase != c.phase {
		return a.phase < c.phase
	}
	return a.strategy < c.strategy
}

func (b *builder) addVersionSample(role fleet.Role, v *versionAcc, s *model.Sample) {
	set := func(dst **float64) {
		f := float64(s.Value)
		// Errors with no successful prediction divide by zero: +Inf is
		// kept for the judge (critical), never dropped as unknown.
		if !known(f) && !(role == fleet.RoleErrorRatio && math.IsInf(f, 1)) {
			return
		}
		if v.seen.has(role) && *dst != nil {
			if !summed[role] {
				v.dups.add(role)
			}
			f = combine(role, **dst, f)
		}
		v.seen.add(role)
		*dst = b.nums.ptr(f)
	}
	switch role {
	case fleet.RoleRequestRate:
		set(&v.v.RequestsPerSecond)
	case fleet.RoleErrorRatio:
		// +Inf is errors with no successful prediction: the worst ratio
		// there is, kept so that internal/judge calls it critical.
		if f := float64(s.Value); math.IsInf(f, 1) {
			v.v.ErrorRate = b.nums.ptr(f)
			return
		}
		set(&v.v.ErrorRate)
	case fleet.RoleLatencyP50:
		set(&v.v.Latency.P50)
	case fleet.RoleLatencyP95:
		set(&v.v.Latency.P95)
	case fleet.RoleLatencyP99:
		set(&v.v.Latency.P99)
	case fleet.RoleLatencyMean:
		set(&v.v.Latency.Mean)
	case fleet.RoleLabeledFraction:
		set(&v.v.GroundTruth.LabeledFraction)
	case fleet.RoleLabelDelayP50:
		set(&v.v.GroundTruth.DelayP50Seconds)
	case fleet.RoleLabelDelayP95:
		set(&v.v.GroundTruth.DelayP95Seconds)
	case fleet.RoleLabelAge:
		set(&v.v.GroundTruth.LastLabelAgeSeconds)
	case fleet.RoleLabelsInWindow:
		set(&v.v.GroundTruth.Labels)
	case fleet.RolePerformance:
		metric := string(s.Metric[labelMetric])
		val := float64(s.Value)
		if metric == "" || !known(val) {
			return
		}
		if v.v.Performance == nil {
			v.v.Performance = make(map[string]float64, 4)
		}
		v.v.Performance[metric] = val
	case fleet.RoleTrafficWeight:
		v.weighted = true
		if t := normTrack(string(s.Metric[labelTrack])); t != "" {
			v.v.Track = t
		}
		set(&v.v.TrafficWeight)
	case fleet.RoleDriftScore:
		b.addDrift(v, s)
	case fleet.RolePerformanceEstimate:
		b.addEstimate(v, s)
	case fleet.RoleWarmingUp:
		if val := float64(s.Value); known(val) && val > 0 {
			v.v.WarmingUp = true
		}
	case fleet.RoleProfile:
		v.v.Profile = termsafe.Clean(string(s.Metric[labelProfile]))
	}
}

// build finishes every model: drift verdicts, rollout, order, health.
func (b *builder) build() []fleet.Model {
	names := make([]string, 0, len(b.models))
	for name := range b.models {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]fleet.Model, 0, len(names))
	for _, name := range names {
		m := b.models[name]
		fm := fleet.Model{Name: name, ServingName: m.servingAs, Serving: m.serving,
			RequestHistory: fleet.RequestHistory{LastWeek: m.lastWeek, HourBefore: m.hourBefore}}
		if r := m.registered; r != nil {
			fm.InRegistry = true
			fm.Description = r.Description
			fm.Tags = copyStrings(r.Tags)
			fm.Aliases = m.aliases
		}
		fm.Rollout = b.rollout(m)
		fm.Versions = make([]fleet.Version, 0, len(m.versions))
		for _, v := range m.versions {
			b.finishDrift(v)
			b.finishGroundTruth(&v.v)
			v.v.DuplicateSeries = v.dups.roles()
			finishLatency(&v.v.Latency)
			fm.Versions = append(fm.Versions, v.v)
		}
		if !anyTrack(fm.Versions) {
			b.tracksFromAliases(&fm)
		}
		sortVersions(fm.Versions)
		b.markStale(&fm)
		out = append(out, fm)
	}
	return out
}

// finishLatency says how the figures were derived.
func finishLatency(l *fleet.Latency) {
	switch {
	case l.P50 != nil || l.P95 != nil || l.P99 != nil:
		l.Kind = fleet.LatencyHistogram
	case l.Mean != nil:
		l.Kind = fleet.LatencyMean
	}
}

func anyTrack(vs []fleet.Version) bool {
	for i := range vs {
		if vs[i].Track != "" {
			return true
		}
	}
	return false
}
