package fleetscreen

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
)

// entry is one model with everything sorting, filtering and drawing need,
// computed once per snapshot so View only reads.
type entry struct {
	m    *fleet.Model
	name string // cleaned for display
	// versions are indexes into m.Versions of the serving versions, in
	// track order (stable, canary, shadow, others); empty for a model that
	// does not serve, which gets one registry row.
	versions []int
	labels   []string // "v"+version, cleaned, parallel to versions
	regVer   string   // version shown on a registry row

	rank     int // severity: 0 critical, 1 warn, 2 unknown, 3 ok
	findings int
	// keys are the numbers columns sort by; NaN when unknown (or not
	// sorted by value), so unknowns sort last.
	keys []float64

	// Filter haystack, lower-cased: name, versions (with and without "v"),
	// and tags as key=value.
	search []string
	tags   []string // lower-cased key, value, key, value, ...
}

// row is one line of the table: a model's version, or its registry line.
type row struct {
	e int // index into Model.view
	v int // index into entry.versions; -1 for a registry row
}

func severityRank(s fleet.Status) int {
	switch s {
	case fleet.StatusCritical:
		return 0
	case fleet.StatusWarn:
		return 1
	case fleet.StatusUnknown:
		return 2
	}
	return 3
}

// buildEntries prepares one entry per model of the snapshot.
func buildEntries(s *fleet.Snapshot) []entry {
	out := make([]entry, len(s.Models))
	keys := make([]float64, len(s.Models)*len(fleetColumns))
	for i := range s.Models {
		out[i] = newEntry(&s.Models[i], keys[i*len(fleetColumns):(i+1)*len(fleetColumns)])
	}
	return out
}

// newEntry prepares m's entry; keys holds its sort numbers.
func newEntry(m *fleet.Model, keys []float64) entry {
	e := entry{m: m, name: termsafe.Clean(m.Name), rank: severityRank(m.Health.Status), findings: len(m.Health.Findings), keys: keys}
	for i := range m.Versions {
		if m.Versions[i].Serving {
			e.versions = append(e.versions, i)
		}
	}
	slices.SortStableFunc(e.versions, func(a, b int) int {
		va, vb := &m.Versions[a], &m.Versions[b]
		if c := cmp.Compare(fleet.TrackRank(va.Track), fleet.TrackRank(vb.Track)); c != 0 {
			return c
		}
		return fleet.CompareVersions(va.Version, vb.Version)
	})
	e.labels = make([]string, len(e.versions))
	for k, vi := range e.versions {
		e.labels[k] = "v" + termsafe.Clean(m.Versions[vi].Version)
	}
	e.sortKeys()
	if len(e.versions) == 0 {
		e.regVer = registryVersion(m)
	}
	e.search = append(e.search, strings.ToLower(e.name))
	for i := range m.Versions {
		v := strings.ToLower(termsafe.Clean(m.Versions[i].Version))
		e.search = append(e.search, v, "v"+v)
	}
	for k, v := range m.Tags {
		k, v = strings.ToLower(termsafe.Clean(k)), strings.ToLower(termsafe.Clean(v))
		e.tags = append(e.tags, k, v)
		e.search = append(e.search, v)
	}
	return e
}

// latencyKey is the latency a version sorts by: p95, else the mean.
func latencyKey(v *fleet.Version) float64 {
	switch {
	case v.Latency.P95 != nil:
		return *v.Latency.P95
	case v.Latency.Mean != nil:
		return *v.Latency.Mean
	}
	return math.NaN()
}

func addKnown(acc, v float64) float64 {
	if math.IsNaN(v) {
		return acc
	}
	if math.IsNaN(acc) {
		return v
	}
	return acc + v
}

func maxKnown(acc, v float64) float64 {
	if math.IsNaN(v) {
		return acc
	}
	if math.IsNaN(acc) || v > acc {
		return v
	}
	return acc
}

// registryVersion is the version a non-serving model is known by: its
// champion, else its highest version.
func registryVersion(m *fleet.Model) string {
	if v, ok := m.Aliases["champion"]; ok && v != "" {
		return "v" + termsafe.Clean(v)
	}
	best := ""
	for i := range m.Versions {
		if v := m.Versions[i].Version; best == "" || fleet.CompareVersions(v, best) > 0 {
			best = v
		}
	}
	if best == "" {
		return ""
	}
	return "v" + termsafe.Clean(best)
}

// quality is a version's headline metric against its offline baseline.
type quality struct {
	metric        string
	live, base    float64
	known         bool // live value present
	hasBase       bool
	drop          float64 // positive when worse (absolute, or relative for error metrics)
	same          bool    // within noise
	relative      bool    // drop is a ratio of the baseline
	lowerIsBetter bool
}

// Noise bands under which a difference shows as ≈.
const (
	boundedNoise  = 0.005 // absolute, for scores in 0..1
	relativeNoise = 0.01  // relative, for error metrics
)

func qualityOf(v *fleet.Version) quality {
	name, live, base := v.PrimaryMetric()
	q := quality{metric: name, lowerIsBetter: fleet.LowerIsBetter(name)}
	if live == nil || math.IsNaN(*live) {
		if base != nil {
			q.base, q.hasBase = *base, !math.IsNaN(*base)
		}
		return q
	}
	q.live, q.known = *live, true
	if base == nil || math.IsNaN(*base) {
		return q
	}
	q.base, q.hasBase = *base, true
	switch {
	case q.lowerIsBetter && q.base != 0:
		q.relative = true
		q.drop = (q.live - q.base) / math.Abs(q.base)
		q.same = math.Abs(q.drop) < relativeNoise
	case q.lowerIsBetter:
		q.drop = q.live - q.base
		q.same = q.drop == 0
	default:
		q.drop = q.base - q.live
		q.same = math.Abs(q.drop) < boundedNoise
	}
	return q
}

// qualityWidth is the quality cell's width: name, value, and a delta of
// five cells (▼.07) or six for error metrics (▼3.2%).
func qualityWidth(q quality) int {
	switch {
	case q.metric == "":
		return 1
	case !q.known:
		return textWidth(metricName(q.metric)) + 2
	}
	n := textWidth(metricName(q.metric)) + 1 + scoreWidth(q.live)
	if q.hasBase {
		n += 5
		if q.relative {
			n++
		}
	}
	return n
}

// scoreWidth bounds the width of human.Score(v) without formatting it
// (this runs for every version of every snapshot).
func scoreWidth(v float64) int {
	a, n := math.Abs(v), 6
	switch {
	case a < 1:
		n = 3 // .81
	case a < 100:
		n = 4 // 1.23, 12.8
	case a < 1000:
		n = 5 // 128.4
	}
	if v < 0 {
		n++
	}
	return n
}

// driftView is a version's worst drift, judged against its threshold.
type driftView struct {
	known    bool
	method   string
	score    float64
	feature  string
	drifted  bool
	severity float64 // 1 = at the threshold, higher is worse
}

func driftOf(v *fleet.Version) driftView {
	d := v.Drift
	if d == nil {
		return driftView{}
	}
	var dv driftView
	if d.Score != nil && !math.IsNaN(*d.Score) {
		dv = judge(d.Method, *d.Score, d.Threshold, d.Feature, featureVerdict(d))
	}
	// Output drift matters as much as any input: show it when it is worse.
	if p := d.Prediction; p != nil && !math.IsNaN(p.Score) {
		pv := judge(p.Method, p.Score, p.Threshold, "prediction", p.Drifted)
		if !dv.known || (pv.drifted && !dv.drifted) || (pv.drifted == dv.drifted && pv.severity > dv.severity) {
			dv = pv
		}
	}
	return dv
}

// featureVerdict finds the worst feature's own verdict, when recorded.
func featureVerdict(d *fleet.Drift) *bool {
	for i := range d.Features {
		if d.Features[i].Feature == d.Feature {
			return d.Features[i].Drifted
		}
	}
	return nil
}

func judge(method string, score float64, threshold *float64, feature string, verdict *bool) driftView {
	dv := driftView{known: true, method: termsafe.Clean(method), score: score, feature: termsafe.Clean(feature)}
	thr, ok := 0.0, false
	if threshold != nil && !math.IsNaN(*threshold) {
		thr, ok = *threshold, true
	} else {
		thr, ok = drift.DefaultThreshold(method)
	}
	switch {
	case verdict != nil:
		dv.drifted = *verdict
	case ok:
		dv.drifted = drift.Drifted(method, score, thr)
	}
	if ok {
		dv.severity = drift.Severity(method, score, thr)
	} else {
		dv.severity = score
	}
	return dv
}
