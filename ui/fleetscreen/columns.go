package fleetscreen

import (
	"math"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
)

// colID is a column's place in fleetColumns, which is its display order.
type colID int

// colDef is one fleet column, described in one place: its title, widths,
// when it drops, how it sorts, how a cell is drawn, and which snapshot
// roles it reads.
//
// To add a column, add one colDef to fleetColumns where it should appear:
// a title; min and pref widths; drop, where it goes as the terminal
// narrows; cell, which draws one line of it; roles, the queries its
// values come from (so it dims and shows their age when one fails); and,
// to make s cycle through it, sort. The rest is for columns that need it.
// Then run `go test ./ui/fleetscreen ./ui/root -update` and read the
// golden diff.
type colDef struct {
	title     string
	min, pref int // widths: the least it is drawn in, and what spare width grows it to
	// drop orders columns for removal as the terminal narrows: highest
	// first, 0 never. From extraDrop up a column goes before model names
	// are shortened; below it, only after.
	drop  int
	right bool // right-aligned, as numbers are
	// cell draws the column on line l in w cells; need is the largest
	// measure over the fleet. l.v is the version, nil on a registry line.
	cell func(m *Model, l line, w, need int) cell
	// roles are the queries the column's values come from.
	roles []fleet.Role
	sort  *sortDef // nil: s skips the column

	// modelWide cells show on a model's first line only.
	modelWide bool
	// registry columns are drawn on the line of a model that does not
	// serve; the first one that is not starts its "not serving" span.
	registry bool
	// baseline columns also read the registry (the offline evaluation),
	// so they age when the registry fails.
	baseline bool
	// history columns draw the trend window, not the snapshot: they show
	// once a window is held and age when fetching it fails.
	history bool
	// shorten marks the one column (the model name) cut to comfortName
	// while extras drop, and shortened further before core columns drop.
	shorten bool
	// alerts columns show only when the snapshot has an alert source, and
	// are headed by the bell glyph rather than their title.
	alerts bool
	// contexts columns show only in the view of every context's fleet
	// (:ctx all), where models carry their context.
	contexts bool
	// measure is what one model needs of the column; fit turns the
	// fleet's largest need into min and pref widths.
	measure func(e *entry) int
	fit     func(need, min, pref int) (int, int)
	// grow gives the column spare width in turns shared with the others:
	// lower turns first.
	grow []growStep
}

// growStep is one turn at spare width: up to width to (0: pref). A whole
// step grows fully or not at all, where a partial gain shows nothing more.
type growStep struct {
	turn, to int
	whole    bool
}

// sortDef is how a column orders models.
type sortDef struct {
	// asc is a natural order of A to Z (names); others read worst,
	// busiest, slowest or oldest first.
	asc bool
	// cmp is an order of its own; nil orders by value.
	cmp func(a, b *entry) int
	// value is a serving version's number, NaN when unknown.
	value func(v *fleet.Version) float64
	// sum makes a model's number the sum of its versions' (traffic);
	// otherwise it is the largest (the worst).
	sum bool
}

// fleetColumns are the fleet's columns, in display order. Growth turns:
// first enough for names, a drifting feature's name (the cause of a
// warning), the mean's label, the rollout phase and a readable reason;
// then the rest.
var fleetColumns = [...]colDef{
	{ // health icon
		min: 1, pref: 1, modelWide: true, registry: true,
		sort: &sortDef{cmp: bySeverity},
		cell: func(m *Model, l line, _, _ int) cell { return healthCell(l.e.m.Health.Status, m.c.Glyphs) },
	},
	{ // the model's context, in the view of every context's fleet
		title: "CTX", min: 3, pref: 12, modelWide: true, registry: true, contexts: true,
		measure: func(e *entry) int { return textWidth(termsafe.Clean(e.m.Context)) },
		fit:     func(need, lo, hi int) (int, int) { lo = max(lo, min(need, hi)); return lo, lo },
		cell:    func(_ *Model, l line, _, _ int) cell { return textCell(termsafe.Clean(l.e.m.Context), toneText) },
	},
	{
		title: "MODEL", min: 12, pref: 32, modelWide: true, registry: true, shorten: true,
		grow:    []growStep{{turn: 1}},
		measure: func(e *entry) int { return textWidth(e.name) },
		fit:     func(need, lo, hi int) (int, int) { return lo, max(lo, min(need, hi)) },
		sort:    &sortDef{asc: true, cmp: byName},
		cell:    func(_ *Model, l line, _, _ int) cell { return textCell(l.e.name, toneText) },
	},
	{ // firing alerts, beside health and never part of it
		title: "ALERTS", min: 1, pref: 1, drop: 4, modelWide: true, registry: true, alerts: true,
		measure: func(e *entry) int { return alertsNeed(e.m) },
		fit:     func(need, lo, _ int) (int, int) { lo = max(lo, need); return lo, lo },
		sort:    &sortDef{cmp: byAlerts},
		cell:    func(m *Model, l line, _, _ int) cell { return alertsCell(l.e.m, m.c.Glyphs) },
	},
	{
		title: "VERSION", min: 7, pref: 7, registry: true,
		roles:   []fleet.Role{fleet.RoleTrafficWeight},
		measure: versionNeed,
		fit: func(need, lo, _ int) (int, int) {
			lo = max(lo, need+1+trackWidth+1+weightWidth)
			return lo, lo
		},
		cell: func(_ *Model, l line, _, need int) cell {
			if l.v == nil { // the version a model that does not serve is known by
				if l.e.regVer == "" {
					return unknownCell()
				}
				return textCell(l.e.regVer, toneMuted)
			}
			return versionCell(l.v, need)
		},
	},
	{
		title: "REQ/S", min: 5, pref: 5, drop: 6, right: true,
		roles: []fleet.Role{fleet.RoleRequestRate},
		sort:  &sortDef{value: func(v *fleet.Version) float64 { return known(v.RequestsPerSecond) }, sum: true},
		cell: func(_ *Model, l line, w, _ int) cell {
			v := l.v
			c := numberCell(v.RequestsPerSecond, human.Rate)
			if v.WarmingUp && v.RequestsPerSecond != nil {
				c = warmingCell(*v.RequestsPerSecond, w)
			}
			return c
		},
	},
	{
		title: "TREND", min: sparkWidth, pref: sparkWidth, drop: 7, history: true,
		cell: func(m *Model, l line, _, _ int) cell {
			if !m.hasHist {
				return cell{}
			}
			vals := m.hist.Values(history.Key{Role: fleet.RoleRequestRate, Model: l.e.m.MetricsName(), Version: l.v.Version})
			return textCell(spark(vals, sparkWidth, m.c.Glyphs.Spark), toneGraph)
		},
	},
	{
		title: "P95", min: 6, pref: 6, drop: 4,
		roles: []fleet.Role{fleet.RoleLatencyP95, fleet.RoleLatencyMean},
		grow:  []growStep{{turn: 3, whole: true}},
		measure: func(e *entry) int { // 1 when a version has only a mean
			for _, vi := range e.versions {
				if l := e.m.Versions[vi].Latency; l.P95 == nil && l.Mean != nil {
					return 1
				}
			}
			return 0
		},
		fit: func(need, lo, hi int) (int, int) {
			if need > 0 {
				hi = meanWidth
			}
			return lo, hi
		},
		sort: &sortDef{value: latencyKey},
		cell: func(_ *Model, l line, w, _ int) cell { return latencyCell(l.v.Latency, w) },
	},
	{ // tail latency; histograms only, so a mean-only version shows —
		title: "P99", min: 6, pref: 6, drop: 10,
		roles: []fleet.Role{fleet.RoleLatencyP99},
		cell:  func(_ *Model, l line, _, _ int) cell { return numberCell(l.v.Latency.P99, human.Seconds) },
	},
	{
		title: "ERR", min: errWidth, pref: errWidth, drop: 3, right: true,
		roles: []fleet.Role{fleet.RoleErrorRatio},
		sort:  &sortDef{value: func(v *fleet.Version) float64 { return known(v.ErrorRate) }},
		cell:  func(m *Model, l line, _, _ int) cell { return errorCell(l.v.ErrorRate, l.v.ErrorStatus) },
	},
	{
		title: "QUALITY", min: 7, pref: 7, drop: 1, baseline: true,
		roles:   []fleet.Role{fleet.RolePerformance},
		measure: qualityNeed,
		fit: func(need, lo, _ int) (int, int) {
			lo = max(lo, need)
			return lo, lo
		},
		sort: &sortDef{value: qualityKey},
		cell: func(m *Model, l line, _, _ int) cell { return qualityCell(qualityOf(l.v), m.c.Glyphs) },
	},
	{
		title: "DRIFT", min: 11, pref: 22, drop: 2,
		roles: []fleet.Role{fleet.RoleDriftScore},
		grow:  []growStep{{turn: 2, to: 16}, {turn: 6}},
		sort:  &sortDef{value: driftKey},
		cell:  func(_ *Model, l line, _, _ int) cell { return driftCell(driftOf(l.v)) },
	},
	{
		title: "LABELS", min: 12, pref: 12, drop: 8,
		roles: []fleet.Role{fleet.RoleLabelAge, fleet.RoleLabeledFraction},
		sort:  &sortDef{value: func(v *fleet.Version) float64 { return known(v.GroundTruth.LastLabelAgeSeconds) }},
		cell: func(m *Model, l line, _, _ int) cell {
			return labelsCell(l.v.GroundTruth, m.c.Glyphs)
		},
	},
	{
		title: "ROLLOUT", min: 9, pref: 24, drop: 5, modelWide: true,
		roles: []fleet.Role{fleet.RoleRolloutInfo, fleet.RoleRolloutStep, fleet.RoleRolloutSteps, fleet.RoleRolloutSetWt,
			fleet.RoleAnalysisRun, fleet.RoleAnalysisMetric},
		grow: []growStep{{turn: 4, to: 22, whole: true}, {turn: 7}},
		// The width a canary's weight bar needs, and its analysis's counts
		// after it; 0 for neither.
		measure: func(e *entry) int {
			if e.m.Rollout == nil {
				return 0
			}
			need := 0
			if _, bar := canaryWeight(e.m); bar {
				need = rolloutBarWidth
			}
			if counts, ok := countAnalysis(e.m.Rollout); ok {
				need = max(need, rolloutBarWidth) + analysisWidth(counts)
			}
			return need
		},
		fit: func(need, lo, hi int) (int, int) {
			if need > 0 {
				lo, hi = max(lo, rolloutBarWidth), max(hi, need)
			}
			return lo, hi
		},
		cell: func(m *Model, l line, w, _ int) cell { return rolloutCell(l.e.m, w, m.c.Glyphs) },
	},
	{
		title: "WHY", min: 24, pref: 1 << 16, drop: 9,
		grow: []growStep{{turn: 5, to: 40}, {turn: 8}},
		cell: func(m *Model, l line, _, _ int) cell {
			if c := whyCell(l); c.n > 0 || !l.first {
				return c
			}
			return joinCell(l.e.m, m.snap)
		},
	},
}

// numCols is the number of columns.
var numCols = colID(len(fleetColumns))

// known is *p, or NaN when p is nil.
func known(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// versionNeed is the widest version label of a model, capped.
func versionNeed(e *entry) int {
	n := 0
	for _, l := range e.labels {
		n = max(n, min(textWidth(l), maxVersionWidth))
	}
	return n
}

// qualityNeed is the widest quality cell of a model.
func qualityNeed(e *entry) int {
	n := 0
	for _, vi := range e.versions {
		n = max(n, qualityWidth(qualityOf(&e.m.Versions[vi])))
	}
	return n
}

// qualityKey is a version's quality drop against its baseline.
func qualityKey(v *fleet.Version) float64 {
	if q := qualityOf(v); q.known && q.hasBase {
		return q.drop
	}
	return math.NaN()
}

// driftKey is a version's worst drift, 1 at the threshold.
func driftKey(v *fleet.Version) float64 {
	if d := driftOf(v); d.known {
		return d.severity
	}
	return math.NaN()
}

// Widths the cells need for what they show.
const (
	errWidth        = 5  // "4.1%", "<0.1%"
	meanWidth       = 12 // "117ms (mean)"
	rolloutBarWidth = 15 // "॥ 2/4 ▕█░░░▏25%"
)

const (
	gutterWidth = 1 // selection marker
	gapWidth    = 1
	trackWidth  = 6 // "stable", "canary", "shadow"
	weightWidth = 3 // "100"
)
