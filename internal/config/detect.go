package config

import (
	"slices"
	"strings"
	"sync"

	"github.com/prometheus/prometheus/promql/parser"
)

// detectionOrder is the order detected profiles combine in (docs/profiles.md,
// Detection): exporter profiles first, mltop's convention leading, so that
// where two report the same (model, version) the earlier wins; then the
// rollout-only profiles, whose roles replace the exporters' as when listed.
var detectionOrder = []string{
	"mltop", "triton", "mlserver", "seldon-v2", "kserve", "torchserve", "bentoml",
	"argo-rollouts", "flagger",
}

// DetectionOrder lists every profile in the order detection combines them.
func DetectionOrder() []string { return slices.Clone(detectionOrder) }

// ExporterProfiles lists the profiles that read a model server's metrics
// (not a rollout controller's), in detection order: what is read when
// detection cannot choose.
func ExporterProfiles() []string {
	return slices.DeleteFunc(DetectionOrder(), func(n string) bool { return rolloutOnly[n] })
}

// IsRolloutOnly reports whether a profile only adds rollout state.
func IsRolloutOnly(name string) bool { return rolloutOnly[name] }

// ProfileExplicit reports whether the config file wrote prometheus.profile.
// Unwritten, the profiles are detected from the server's metric names
// (DetectsProfiles).
func (c *Config) ProfileExplicit() bool { return c.src.has("prometheus.profile") }

// DetectsProfiles reports whether the profiles are chosen by asking the
// Prometheus-compatible server which metrics it holds: no profile written
// and a server to ask. The built-in engine keeps the default profile.
func (c *Config) DetectsProfiles() bool {
	return !c.ProfileExplicit() && c.Prometheus.URL != ""
}

// ProfileDetection is what detection found, set on the Config it returned
// (WithDetectedProfiles); nil when profiles were not detected.
type ProfileDetection struct {
	// Detected is true when Prometheus.Profile holds the profiles whose
	// metrics the server has; false when detection could not choose and
	// every exporter profile is read (Problem says why).
	Detected bool
	// LookedFor are the metric names asked about, sorted.
	LookedFor []string
	// Problem says why nothing was detected, in plain words: the server's
	// error, or that none of LookedFor is there. "" when Detected.
	Problem string
}

// WithDetectedProfiles returns a copy of c reading the named profiles, with
// d recorded. names come from DetectProfiles or ExporterProfiles: known
// profiles, so rendering raises no error about them.
func (c *Config) WithDetectedProfiles(names []string, d ProfileDetection) *Config {
	out := *c
	out.Prometheus.Profile = slices.Clone(names)
	d.LookedFor = slices.Clone(d.LookedFor)
	out.Prometheus.Detection = &d
	return &out
}

// ProfileMetrics are the metric names whose presence says a profile's
// exporter (or controller) is scraped: those its request_rate query reads
// for an exporter profile, every one it reads for a rollout-only profile.
// Derived from the profile's own queries, so the two cannot disagree.
func ProfileMetrics(name string) []string { return slices.Clone(metricIndex()[name].identifying) }

// DetectionMetrics are every profile's ProfileMetrics, sorted: the names
// detection asks the server about.
func DetectionMetrics() []string {
	var all []string
	for _, name := range detectionOrder {
		all = append(all, metricIndex()[name].identifying...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// RoleMetricNames are the metric names any profile's role reads, sorted:
// what mltop doctor asks the server about.
func RoleMetricNames() []string {
	var all []string
	for _, pm := range metricIndex() {
		for _, r := range pm.roles {
			all = append(all, r.Metrics...)
		}
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// DetectProfiles picks, in detection order, every profile with at least
// one of its ProfileMetrics among present (the server's metric names).
// None: nil.
func DetectProfiles(present []string) []string {
	have := make(map[string]bool, len(present))
	for _, p := range present {
		have[p] = true
	}
	var out []string
	for _, name := range detectionOrder {
		if slices.ContainsFunc(metricIndex()[name].identifying, func(m string) bool { return have[m] }) {
			out = append(out, name)
		}
	}
	return out
}

// RoleMetric is one role a profile fills and the metric names its query
// reads.
type RoleMetric struct {
	Role    string
	Metrics []string // sorted
}

// ProfileRoles lists the roles a profile fills, in KnownRoles order, with
// the metrics each reads. Unknown profile: nil.
func ProfileRoles(name string) []RoleMetric {
	roles := metricIndex()[name].roles
	out := make([]RoleMetric, len(roles))
	for i, r := range roles {
		out[i] = RoleMetric{Role: r.Role, Metrics: slices.Clone(r.Metrics)}
	}
	return out
}

type profileMetrics struct {
	identifying []string
	roles       []RoleMetric
}

// metricIndex parses every profile's templates once.
var metricIndex = sync.OnceValue(func() map[string]profileMetrics {
	// Any duration makes a template parse; which one does not matter.
	vars := strings.NewReplacer(windowVar, "1m", driftWindowVar, "1m", referenceOffsetVar, "1m",
		referenceWindowVar, "1m", calibrationWinVar, "1m", verdictWindowVar, "1m")
	out := make(map[string]profileMetrics, len(profiles))
	for name, tmpl := range profiles {
		var pm profileMetrics
		byRole := map[string][]string{}
		for _, q := range tmpl {
			byRole[q.Role] = append(byRole[q.Role], metricNames(vars.Replace(q.Expr))...)
		}
		for _, role := range knownRoles {
			ms, ok := byRole[role]
			if !ok {
				continue
			}
			slices.Sort(ms)
			ms = slices.Compact(ms)
			pm.roles = append(pm.roles, RoleMetric{Role: role, Metrics: ms})
			if role == requestRateRole || rolloutOnly[name] {
				pm.identifying = append(pm.identifying, ms...)
			}
		}
		slices.Sort(pm.identifying)
		pm.identifying = slices.Compact(pm.identifying)
		out[name] = pm
	}
	return out
})

// metricNames lists the metric names expr's selectors read. A template
// that does not parse reads nothing here; Queries reports it.
func metricNames(expr string) []string {
	e, err := promqlParser.ParseExpr(expr)
	if err != nil {
		return nil
	}
	var names []string
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok && vs.Name != "" {
			names = append(names, vs.Name)
		}
		return nil
	})
	return names
}
