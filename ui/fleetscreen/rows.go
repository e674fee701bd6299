package fleetscreen

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
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
	e := entry{m: m, name: termsafe.Clean(common.NameInContext(m)), rank: severityRank(m.Health.Status), findings: len(m.Health.Findings), keys: keys}
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
	if m.Context != "" {
		e.search = append(e.search, strings.ToLower(termsafe.Clean(m.Context)))
	}
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

// quality is a version's headline metric against its offline baseline,
// as judged (fleet.Quality): the screen only draws it.
type quality struct {
	metric     string
	live, base float64
	known      bool // live value present
	hasBase    bool
	drop       float64 // positive when worse (absolute, or relative for error metrics)
	verdict    string  // fleet.QualityWorse, QualityBetter, QualitySame; "" unknown
	relative   bool    // drop is a ratio of the baseline
	lowConf    bool    // fewer labels than min_labels
	estimated  bool    // live is the label-free estimate, not a measurement
	unreliable bool    // the estimate's calibration is poor (ECE over the limit)
}

func qualityOf(v *fleet.Version) quality {
	j := v.Quality
	if j == nil {
		return quality{}
	}
	q := quality{metric: j.Metric, drop: j.Delta, verdict: j.Verdict, relative: j.Relative, lowConf: j.LowConfidence, estimated: j.Estimated}
	if q.estimated {
		// An estimate's doubt is its calibration's: too few labelled
		// scores (lowConf, as judged) or too poor a fit.
		q.unreliable = v.Calibration != nil && v.Calibration.Unreliable
	}
	if j.Live != nil {
		q.live, q.known = *j.Live, true
	}
	if j.Baseline != nil {
		q.base, q.hasBase = *j.Baseline, true
	}
	return q
}

// qualityWidth is the quality cell's width: the estimate's mark, name,
// value, and a delta of five cells (▼.07) or six for error metrics (▼3.2%).
func qualityWidth(q quality) int {
	switch {
	case q.metric == "":
		return 1
	case !q.known:
		return textWidth(metricName(q.metric)) + 2
	}
	n := textWidth(metricName(q.metric)) + 1 + scoreWidth(q.live)
	if q.estimated {
		n += textWidth(estimatedMark)
	}
	if q.lowConf || q.unreliable {
		n++ // the low-confidence or unreliable mark
	}
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

// driftView is a version's worst drift finding, as judged.
type driftView struct {
	known    bool
	method   string
	score    float64
	feature  string
	drifted  bool
	severity float64 // 1 = at the threshold, higher is worse; the score when unjudged
	// dq is the version's first data-quality problem ("tenure 7 % missing",
	// a silent feature first), shown ahead of drift: broken inputs are
	// not a shift; "" when there is none. dqCritical: a silent feature.
	dq         string
	dqCritical bool
}

// dataQualityOf is a version's first data-quality problem in a few words,
// from what the judge judged (its flags and the changes it reports): a
// silent feature first, then the first feature with a problem, then an
// added or retyped feature. A feature gone is the judge's silent finding
// or nothing (no predictions flow): the cell never says more than the
// judge.
func dataQualityOf(v *fleet.Version) (text string, critical bool) {
	dq := v.DataQuality
	if dq == nil {
		return "", false
	}
	for _, f := range dq.Features {
		if f.Silent {
			return "silent " + termsafe.Clean(f.Feature), true
		}
	}
	for _, f := range dq.Features {
		if len(f.Problems) > 0 {
			return termsafe.Clean(f.Problems[0]) + " " + termsafe.Clean(f.Feature), false
		}
	}
	for _, c := range dq.Schema {
		switch c.Change {
		case fleet.SchemaAdded:
			return "added " + termsafe.Clean(c.Feature), false
		case fleet.SchemaType:
			return "changed type " + termsafe.Clean(c.Feature), false
		}
	}
	return "", false
}

func driftOf(v *fleet.Version) driftView {
	dq, crit := dataQualityOf(v)
	if v.Drift == nil || v.Drift.Worst == nil {
		return driftView{dq: dq, dqCritical: crit}
	}
	w := v.Drift.Worst
	dv := driftView{known: true, method: termsafe.Clean(w.Method), score: w.Score, feature: termsafe.Clean(w.Feature),
		drifted: w.Drifted != nil && *w.Drifted, severity: judge.SeverityOf(*w), dq: dq, dqCritical: crit}
	if fleet.IsPredictionFeature(w.Feature) {
		dv.feature = "prediction"
	}
	return dv
}
