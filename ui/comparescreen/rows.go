package comparescreen

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/termsafe"
)

// row is one line of the comparison table: a section heading, a note, a
// measured quantity (a, b) or a text fact (ta, tb).
type row struct {
	heading bool
	note    bool
	label   string

	a, b         *float64
	ia, ib       *[2]float64 // 95 % intervals of a and b, when judged
	unit         unit
	dir          direction
	bounded      bool
	noise        float64 // a difference below it is the same (judge.DriftNoise)
	warnA, warnB bool    // past a threshold: drifted, labels too old

	text         bool // ta, tb hold the values
	ta, tb       string
	sayIfSame    bool // text rows where "same" or "differs" matters (dataset, commit)
	methodsClash bool // drift measured with different methods: no Δ

	// stat is a verdict row's comparison (judge.Comparison*): B against
	// A with their sample sizes; it replaces the noise bands.
	stat string
	// outcome is the verdict heading's outcome; detail marks a verdict
	// row's p-value, interval or "needs N more" line.
	outcome fleet.VerdictOutcome
	detail  bool

	stale staleness
}

func (r row) verdict() verdict {
	if r.stat != "" {
		return verdictComparison(r.stat)
	}
	if r.text || r.methodsClash {
		return noVerdict
	}
	return judge.Compare(judge.Side{Value: r.a, Interval: r.ia}, judge.Side{Value: r.b, Interval: r.ib},
		judge.Pair{Dir: r.dir, Bounded: r.bounded, Resolution: r.unit.resolution(), Noise: r.noise})
}

// staleness marks values older than the snapshot, and since when.
type staleness = judge.Staleness

// inputs are what the rows are built from.
type inputs struct {
	a, b  *fleet.Version
	model *fleet.Model
	snap  *fleet.Snapshot
	now   time.Time
	// What the verdict rows are decided with (common.Common's).
	cmp        judge.Comparisons
	thresholds fleet.Thresholds
	refresh    time.Duration
}

// buildRows lays out every comparison: the verdict, offline metrics,
// live quality, serving, drift, labels and lineage, each section present
// even when empty so the reader sees what is not known.
func buildRows(in inputs) []row {
	v := pairVerdict(in)
	out := verdictRows(in, v)
	reg := registryStaleness(in.snap)
	out = append(out, row{heading: true, label: "Offline (training run)", stale: reg})
	out = append(out, metricRows(in.a.Baseline, in.b.Baseline, nil, nil, reg, "no offline metrics in the registry")...)
	perf := roleStaleness(in.snap, fleet.RolePerformance)
	out = append(out, row{heading: true, label: "Live quality", stale: perf})
	live := metricRows(in.a.Performance, in.b.Performance, in.a.PerformanceCI, in.b.PerformanceCI, perf,
		"no live quality: no labelled predictions yet")
	for i := range live {
		// Live quality is judged by the verdict where it has a row, else
		// by its intervals; never by a fixed band that ignores the labels.
		r := &live[i]
		if r.stat = statFor(v, r.label); r.stat == "" && (r.ia == nil || r.ib == nil) {
			r.dir = neutral
		}
	}
	out = append(out, live...)
	out = append(out, servingRows(in)...)
	out = append(out, driftRows(in)...)
	out = append(out, labelRows(in)...)
	out = append(out, lineageRows(in, reg)...)
	return out
}

// metricRows compare quality metrics; with intervals (live quality), a
// difference inside them is ≈, never a win.
func metricRows(a, b map[string]float64, ia, ib map[string][2]float64, st staleness, empty string) []row {
	names := unionKeys(a, b)
	if len(names) == 0 {
		return []row{{note: true, label: empty}}
	}
	out := make([]row, 0, len(names))
	for _, name := range names {
		p := judge.MetricPair(name)
		out = append(out, row{label: termsafe.Clean(name), a: lookup(a, name), b: lookup(b, name),
			ia: interval(ia, name), ib: interval(ib, name), unit: unitScore, dir: p.Dir, bounded: p.Bounded, stale: st})
	}
	return out
}

func servingRows(in inputs) []row {
	a, b := in.a, in.b
	out := []row{{heading: true, label: "Serving"}}
	// Latency and errors say which side is better in the verdict above,
	// with their sample sizes; here they are the rate window's figures.
	lat := func(label string, pa, pb *float64, role fleet.Role) row {
		return row{label: label, a: pa, b: pb, unit: unitSeconds, stale: roleStaleness(in.snap, role)}
	}
	p95 := known(a.Latency.P95) || known(b.Latency.P95)
	if p95 {
		out = append(out, lat("latency p95", a.Latency.P95, b.Latency.P95, fleet.RoleLatencyP95))
	}
	if !known(a.Latency.P95) && known(a.Latency.Mean) || !known(b.Latency.P95) && known(b.Latency.Mean) {
		// A mean is never passed off as a percentile: its own row.
		out = append(out, lat("latency (mean)", a.Latency.Mean, b.Latency.Mean, fleet.RoleLatencyMean))
	} else if !p95 {
		out = append(out, lat("latency p95", nil, nil, fleet.RoleLatencyP95))
	}
	out = append(out,
		row{label: "error ratio", a: a.ErrorRate, b: b.ErrorRate, unit: unitRatio,
			warnA: a.ErrorStatus >= fleet.StatusWarn, warnB: b.ErrorStatus >= fleet.StatusWarn,
			stale: roleStaleness(in.snap, fleet.RoleErrorRatio)},
		row{label: "request rate", a: a.RequestsPerSecond, b: b.RequestsPerSecond, unit: unitRate,
			stale: roleStaleness(in.snap, fleet.RoleRequestRate)},
		row{label: "traffic weight", a: a.TrafficWeight, b: b.TrafficWeight, unit: unitWeight,
			stale: roleStaleness(in.snap, fleet.RoleTrafficWeight)},
	)
	return out
}

func labelRows(in inputs) []row {
	a, b := in.a.GroundTruth, in.b.GroundTruth
	return []row{
		{heading: true, label: "Labels"},
		{label: "labelled", a: a.LabeledFraction, b: b.LabeledFraction, unit: unitRatio, dir: higherBetter, bounded: true,
			stale: roleStaleness(in.snap, fleet.RoleLabeledFraction)},
		{label: "newest label age", a: a.LastLabelAgeSeconds, b: b.LastLabelAgeSeconds, unit: unitAge, dir: lowerBetter,
			warnA: a.Old, warnB: b.Old, stale: roleStaleness(in.snap, fleet.RoleLabelAge)},
		{label: "label delay p50", a: a.DelayP50Seconds, b: b.DelayP50Seconds, unit: unitAge, dir: lowerBetter,
			stale: roleStaleness(in.snap, fleet.RoleLabelDelayP50)},
	}
}

func lineageRows(in inputs, st staleness) []row {
	la, lb := in.a.Lineage, in.b.Lineage
	text := func(label string, f func(*fleet.Lineage) string, sayIfSame bool) row {
		return row{label: label, text: true, ta: f(la), tb: f(lb), sayIfSame: sayIfSame, stale: st}
	}
	return []row{
		{heading: true, label: "Lineage", stale: st},
		text("run", runText, false),
		text("dataset", datasetText, true),
		text("git commit", func(l *fleet.Lineage) string {
			if l == nil {
				return ""
			}
			return short(termsafe.Clean(l.GitCommit), 8)
		}, true),
		text("created", func(l *fleet.Lineage) string { return createdText(l, in.now) }, false),
	}
}

func runText(l *fleet.Lineage) string {
	if l == nil {
		return ""
	}
	name, id := termsafe.Clean(l.RunName), short(termsafe.Clean(l.RunID), 8)
	switch {
	case name != "" && id != "":
		return name + " (" + id + ")"
	case name != "":
		return name
	}
	return id
}

func datasetText(l *fleet.Lineage) string {
	if l == nil || l.Dataset == nil {
		return ""
	}
	s := termsafe.Clean(l.Dataset.Name)
	if d := short(termsafe.Clean(l.Dataset.Digest), 8); d != "" {
		s += "@" + d
	}
	return s
}

func createdText(l *fleet.Lineage, now time.Time) string {
	if l == nil {
		return ""
	}
	var parts []string
	if !l.CreatedAt.IsZero() && !now.IsZero() {
		parts = append(parts, human.Duration(now.Sub(l.CreatedAt))+" ago")
	}
	if by := termsafe.Clean(l.CreatedBy); by != "" {
		parts = append(parts, "by "+by)
	}
	return strings.Join(parts, " ")
}

func short(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

func unionKeys(a, b map[string]float64) []string {
	seen := make(map[string]bool, len(a)+len(b))
	out := make([]string, 0, len(a)+len(b))
	for _, m := range []map[string]float64{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func interval(m map[string][2]float64, k string) *[2]float64 {
	v, ok := m[k]
	if !ok || math.IsNaN(v[0]) || math.IsNaN(v[1]) {
		return nil
	}
	return &v
}

func lookup(m map[string]float64, k string) *float64 {
	v, ok := m[k]
	if !ok {
		return nil
	}
	return &v
}

// roleStaleness and registryStaleness are the judge's rule for old values.
func roleStaleness(s *fleet.Snapshot, roles ...fleet.Role) staleness {
	return judge.RolesStale(s, roles...)
}

func registryStaleness(s *fleet.Snapshot) staleness { return judge.RegistryStale(s) }
