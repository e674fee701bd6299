package detailscreen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/graph"
)

// graphSpec is one graph of a version panel.
type graphSpec struct {
	role     fleet.Role
	extra    string   // the metric of a performance series
	left     []string // left column: name, current value, legend
	format   func(float64) string
	zeroSpan float64 // span of a flat-zero graph, in the series' unit
	ref      float64 // offline baseline, drawn as a reference line
	hasRef   bool
	missing  string // why the version has no such series; "" when it has
	// estimate is the metric whose label-free estimate is drawn over the
	// measured quality; "" for none.
	estimate string
}

// specsFor lists a version's graphs: traffic, latency, errors, quality.
func (m *Model) specsFor(v *fleet.Version) []graphSpec {
	th := m.c.Theme
	specs := []graphSpec{
		{role: fleet.RoleRequestRate, left: []string{th.Header.Render("req/s"), m.value(fleet.RoleRequestRate, ptrText(v.RequestsPerSecond, human.Rate))},
			format: human.Rate, zeroSpan: 1},
	}
	lat := graphSpec{role: fleet.RoleLatencyP95, format: human.Seconds, zeroSpan: 0.001,
		left: []string{th.Header.Render("p95 latency"), m.value(fleet.RoleLatencyP95, ptrText(v.Latency.P95, human.Seconds))}}
	if isMeanOnly(v) {
		// Only a mean exists: say so, never call it p95.
		lat.role = fleet.RoleLatencyMean
		lat.left = []string{th.Header.Render("mean latency"), m.value(fleet.RoleLatencyMean, ptrText(v.Latency.Mean, human.Seconds))}
	}
	specs = append(specs, lat,
		graphSpec{role: fleet.RoleErrorRatio, format: human.Percent, zeroSpan: 0.01,
			left: []string{th.Header.Render("errors"), m.value(fleet.RoleErrorRatio, m.errorText(v))}})

	q := graphSpec{role: fleet.RolePerformance, format: human.Score, zeroSpan: 1}
	name, live, base := v.PrimaryMetric()
	switch {
	case name == "":
		q.left = []string{th.Header.Render("quality"), th.Muted.Render("—")}
		q.missing = "no live quality: no labelled predictions reported"
	default:
		q.extra = name
		line, dots := graph.Primary.Glyph(th, m.c.ASCII()), graph.Reference.Glyph(th, m.c.ASCII())
		q.left = []string{th.Header.Render(termsafe.Clean(name)),
			th.Graph1.Render(line) + " " + m.value(fleet.RolePerformance, "live "+ptrText(live, human.Score))}
		if base != nil {
			q.ref, q.hasRef = *base, true
			q.left = append(q.left, th.Reference.Render(dots+" off "+human.Score(*base)))
		} else {
			q.left = append(q.left, th.Muted.Render(dots+" off —"))
		}
		if est := m.estimateSeries(v.Version, name); est != "" {
			q.estimate = est
			now := "—"
			if _, e, ok := estimateOf(v); ok {
				now = human.Score(e.Value)
			}
			q.left = append(q.left, th.Graph2.Render(graph.Secondary.Glyph(th, m.c.ASCII())+" est "+now))
		}
	}
	return append(specs, q)
}

func isMeanOnly(v *fleet.Version) bool {
	return v.Latency.Kind == fleet.LatencyMean || (v.Latency.P95 == nil && v.Latency.Mean != nil)
}

func ptrText(p *float64, format func(float64) string) string {
	if p == nil {
		return "—"
	}
	return format(*p)
}

// errorText is the error rate with an icon when it is judged past a
// threshold.
func (m *Model) errorText(v *fleet.Version) string {
	if v.ErrorRate == nil {
		return "—"
	}
	e := *v.ErrorRate
	if math.IsInf(e, 1) {
		return m.c.Theme.Bad.Render(m.c.Glyphs.Bad + " ∞ (no successful predictions)")
	}
	switch v.ErrorStatus {
	case fleet.StatusCritical:
		return m.c.Theme.Bad.Render(m.c.Glyphs.Bad + " " + human.Percent(e))
	case fleet.StatusWarn:
		return m.c.Theme.Warn.Render(m.c.Glyphs.Warn + " " + human.Percent(e))
	}
	return human.Percent(e)
}

// value styles a current value, dimmed with its age when the query behind
// it failed in the latest poll.
func (m *Model) value(role fleet.Role, text string) string {
	if stale, age := m.stale(role); stale {
		return m.c.Theme.Stale.Render(text + " " + m.c.Glyphs.Stale + age)
	}
	return m.c.Theme.Bold.Render(text)
}

// stale reports whether values of role are older than the snapshot (the
// judge's rule: a failed query keeps its last good values), and how old.
func (m *Model) stale(role fleet.Role) (bool, string) {
	st := judge.RolesStale(m.c.Snapshot, role)
	switch {
	case !st.Stale:
		return false, ""
	case st.Since.IsZero():
		return true, "—"
	}
	return true, human.Duration(m.c.Now.Sub(st.Since))
}

// qualityText is "auc .87 (off .88) ▼.01 (n=52, ±0.09)": live against
// the offline baseline as judged (▼ worse, ▲ better, ≈ within noise),
// then the label count and the interval's half-width behind it.
func (m *Model) qualityText(v *fleet.Version) string {
	th, g := m.c.Theme, m.c.Glyphs
	q := v.Quality
	if q == nil {
		return th.Muted.Render("quality —")
	}
	name := termsafe.Clean(q.Metric) + " "
	role := fleet.RolePerformance
	if q.Estimated {
		// The estimate reads as one; the Estimate section says on what.
		name, role = "~"+name, fleet.RoleScoreCalibration
	}
	s := th.Muted.Render(name) + m.value(role, ptrText(q.Live, human.Score))
	if q.Baseline != nil {
		s += th.Muted.Render(" (off " + human.Score(*q.Baseline) + ")")
	}
	if q.Live != nil && q.Baseline != nil {
		diff := math.Abs(*q.Live - *q.Baseline)
		switch q.Verdict {
		case fleet.QualitySame:
			s += " " + th.Muted.Render(g.Same)
		case fleet.QualityWorse:
			s += " " + th.Worse.Render(g.Down+human.Score(diff))
		case fleet.QualityBetter:
			s += " " + th.Better.Render(g.Up+human.Score(diff))
		}
	}
	if conf := confidenceText(q); conf != "" {
		st := th.Muted
		if q.LowConfidence {
			st = th.Warn
		}
		s += " " + st.Render(conf)
	}
	return s
}

// halfWidthText is ±0.09, or ±0.003 for a narrow interval.
func halfWidthText(h float64) string {
	if h < 0.01 {
		return fmt.Sprintf("±%.3f", h)
	}
	return fmt.Sprintf("±%.2f", h)
}

// confidenceText is "(n=52, ±0.09)": the labels behind live quality and
// half its 95 % interval; "low confidence" when n is under min_labels.
func confidenceText(q *fleet.Quality) string {
	if q.Estimated {
		s := "estimated"
		if q.Live != nil && q.StdError != nil {
			s += " ± " + errorText(*q.StdError)
		}
		if q.LowConfidence {
			s += ", low confidence"
		}
		return "(" + s + ")"
	}
	if q.Live == nil || q.Labels == nil {
		return ""
	}
	parts := []string{fmt.Sprintf("n=%.0f", *q.Labels)}
	if q.Interval != nil {
		parts = append(parts, halfWidthText(q.HalfWidth()))
	}
	if q.LowConfidence {
		parts = append(parts, "low confidence")
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// currentLine is the version's latest values from the snapshot.
func (m *Model) currentLine(v *fleet.Version) []string {
	th := m.c.Theme
	lat := th.Muted.Render("p95 ") + m.value(fleet.RoleLatencyP95, ptrText(v.Latency.P95, human.Seconds))
	if isMeanOnly(v) {
		lat = th.Muted.Render("mean latency ") + m.value(fleet.RoleLatencyMean, ptrText(v.Latency.Mean, human.Seconds))
	}
	return []string{
		m.value(fleet.RoleRequestRate, ptrText(v.RequestsPerSecond, human.Rate)) + th.Muted.Render(" req/s"),
		lat,
		th.Muted.Render("err ") + m.value(fleet.RoleErrorRatio, m.errorText(v)),
		m.qualityText(v),
	}
}

// panelTitle is "✔ v11 stable 75%": health, version, track, traffic.
func (m *Model) panelTitle(v *fleet.Version) string {
	th := m.c.Theme
	icon, st := m.statusIcon(v.Health.Status)
	s := st.Render(icon) + " " + th.Bold.Render("v"+termsafe.Clean(v.Version))
	track := termsafe.Clean(v.Track)
	switch {
	case v.Track == fleet.TrackShadow:
		// A shadow gets a mirror of the traffic, not a share of it.
		return s + " " + th.Shadow.Render(track) + th.Muted.Render(" mirrored")
	case v.Track != "":
		s += " " + common.TrackStyle(th, v.Track).Render(track)
	case !v.Serving:
		return s + th.Muted.Render(" not serving")
	}
	if v.TrafficWeight != nil {
		s += " " + th.Text.Render(weightText(*v.TrafficWeight)+"%")
	}
	return s
}

// panelContent is everything inside a version's box.
func (m *Model) panelContent(v *fleet.Version, lay layout, cache *plotLookup) []string {
	th := m.c.Theme
	w := lay.inner
	var out []string
	switch {
	case !m.hist.Have && m.c.History == nil:
		for _, l := range common.WrapText("no history: the metrics source cannot answer range queries", w, 3) {
			out = append(out, th.Muted.Render(l))
		}
	case !m.hist.Have && m.hist.Err != "":
		for _, l := range common.WrapText("no history: "+m.hist.Err, w, 3) {
			out = append(out, th.Warn.Render(l))
		}
	case !m.hist.Have:
		out = append(out, th.Muted.Render("loading… ("+common.RangeText(m.hist.Range)+" of history)"))
	default:
		specs := m.specsFor(v)
		// The times are named once, under the panel's last graph.
		last := -1
		for i, spec := range specs {
			if spec.missing == "" {
				last = i
			}
		}
		for i, spec := range specs {
			out = append(out, m.graphBlock(v, spec, lay, cache, i == last)...)
		}
		if m.hist.Err != "" {
			out = append(out, th.Warn.Render(m.c.Glyphs.Warn+" history refresh failed, showing older data: "+m.hist.Err))
		}
	}
	return append(out, wrapParts("", 0, m.currentLine(v), th.Subtle.Render(" · "), w)...)
}

// graphBlock is one graph with its left column; without data, a line
// saying why.
func (m *Model) graphBlock(v *fleet.Version, spec graphSpec, lay layout, cache *plotLookup, times bool) []string {
	th := m.c.Theme
	left := spec.left
	var body []string
	switch {
	case spec.missing != "":
		body = []string{th.Muted.Render(spec.missing)}
	default:
		p := cache.get(plotKey{version: v.Version, extra: spec.extra, role: spec.role, baseline: spec.ref,
			hasBase: spec.hasRef, estimate: spec.estimate, width: lay.graphArea, rows: lay.graphRows, leftRows: len(left), times: times}, func() plot {
			return m.drawPlot(v, spec, lay.graphArea, lay.graphRows, len(left), times)
		})
		if !p.since.IsZero() {
			left = append(left[:len(left):len(left)], th.Muted.Render("since "+p.since.In(m.c.Now.Location()).Format("15:04")))
		}
		if !p.until.IsZero() {
			left = append(left[:len(left):len(left)], th.Warn.Render("until "+p.until.In(m.c.Now.Location()).Format("15:04")))
		}
		body = p.lines
		if body == nil {
			msg := th.Muted.Render("no data in the last " + common.RangeText(m.hist.Range))
			if e := m.hist.Data.Errors[spec.role]; e != "" {
				msg = th.Warn.Render("query failed: " + termsafe.Clean(e))
			} else if lay.graphArea < 8 {
				msg = th.Muted.Render("too narrow")
			}
			body = []string{msg}
		}
	}
	rows := max(len(left), len(body))
	out := make([]string, rows)
	for i := range out {
		l, b := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(body) {
			b = body[i]
		}
		out[i] = common.Fit(l, leftColWidth) + " " + b
	}
	return out
}

// drawPlot renders one series of the window: interior gaps carried over,
// leading and trailing gaps left empty and named in the left column.
func (m *Model) drawPlot(v *fleet.Version, spec graphSpec, width, rows, leftRows int, times bool) plot {
	name := m.model
	if fm := m.c.FindModel(m.model); fm != nil {
		name = fm.MetricsName()
	}
	vals := m.hist.Data.Values(history.Key{Role: spec.role, Model: name, Version: v.Version, Extra: spec.extra})
	shape := shapeOf(vals)
	if shape.first < 0 {
		return plot{}
	}
	since, until := gapTimes(m.hist.Data, shape)
	if !since.IsZero() {
		leftRows++
	}
	if !until.IsZero() {
		leftRows++
	}
	rows = max(rows, leftRows)
	var series []graph.Series
	if spec.hasRef {
		// Drawn first, so the live line stays on top where they meet.
		series = append(series, graph.Series{Values: graph.Constant(spec.ref, len(shape.vals)), Line: graph.Reference})
	}
	if spec.estimate != "" {
		// Under the measured line, so the measurement wins where they meet.
		if est := m.estimateValues(v.Version, spec.estimate); est != nil {
			series = append(series, graph.Series{Values: est, Line: graph.Secondary})
		}
	}
	series = append(series, graph.Series{Values: shape.vals, Line: graph.Primary})
	lines := graph.Plot(m.c.Theme, m.c.ASCII(), series,
		graph.Options{Format: spec.format, ZeroSpan: spec.zeroSpan, MinPlotWidth: 2, Axis: m.timeAxis(times)}, width, rows)
	return plot{lines: lines, rows: rows, since: since, until: until}
}

// box draws content in a bordered panel of width w with the title in the
// top border, padded to rows content lines.
func (m *Model) box(title string, content []string, w, rows int) []string {
	b := lipgloss.NormalBorder()
	if m.c.ASCII() {
		b = lipgloss.ASCIIBorder()
	}
	bs := lipgloss.NewStyle().Foreground(m.c.Theme.Panel.GetBorderTopForeground())
	inner := max(w-4, 0)
	title = common.Fit(title, max(min(lipgloss.Width(title), w-6), 0))
	top := b.TopLeft + b.Top + " " + title + " "
	top = bs.Render(b.TopLeft+b.Top) + " " + title + " " + bs.Render(strings.Repeat(b.Top, max(w-lipgloss.Width(top)-1, 0))+b.TopRight)
	out := []string{top}
	for i := range max(rows, len(content)) {
		c := ""
		if i < len(content) {
			c = content[i]
		}
		out = append(out, bs.Render(b.Left)+" "+common.Fit(c, inner)+" "+bs.Render(b.Right))
	}
	return append(out, bs.Render(b.BottomLeft+strings.Repeat(b.Bottom, max(w-2, 0))+b.BottomRight))
}

// weightText is a traffic weight without needless decimals: 75, 33.3.
func weightText(w float64) string {
	s := strings.TrimRight(strings.TrimRight(strconv.FormatFloat(w, 'f', 1, 64), "0"), ".")
	if s == "" || s == "-" {
		return "0"
	}
	return s
}
