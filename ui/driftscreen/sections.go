package driftscreen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// maxHeaderVersions is how many versions' verdicts the fixed header lists.
const maxHeaderVersions = 3

// headerLines are the fixed lines: the model, then each version's dataset
// verdict when there is room.
func (m *Model) headerLines(mod *fleet.Model, vvs []versionView, pt painter) []string {
	th, g := m.c.Theme, m.c.Glyphs
	icon, st := g.Unknown, th.Unknown
	for _, vv := range vvs {
		switch {
		case vv.drifted > 0 || (vv.prediction != nil && vv.prediction.drifted):
			icon, st = g.Warn, th.Warn
		case vv.measured > 0 && icon == g.Unknown:
			icon, st = g.OK, th.OK
		}
	}
	name := termsafe.Clean(m.model)
	line := st.Render(icon) + " " + th.Title.Render(name) + th.Muted.Render("  drift of inputs and output · range "+common.RangeText(m.hist.Range))
	out := []string{line}
	if m.height < 12 || mod == nil {
		return out
	}
	var shown []versionView
	for _, vv := range vvs {
		if vv.hasData {
			shown = append(shown, vv)
		}
	}
	more := len(shown) - maxHeaderVersions
	shown = shown[:min(len(shown), maxHeaderVersions)]
	// Drop the output's verdict (it is in the table too), then the
	// reference, from every line alike, until the lines fit.
	for drop := 0; drop <= 2; drop++ {
		lines := make([]string, 0, len(shown))
		fits := true
		for _, vv := range shown {
			line := "  " + m.versionLabel(vv.v) + "  " + pt.dqVerdict(vv) + pt.datasetVerdict(vv)
			if drop < 1 {
				line += pt.outputVerdict(vv)
			}
			if drop < 2 {
				line += pt.reference(vv)
			}
			fits = fits && ansi.StringWidth(line) <= m.width
			lines = append(lines, line)
		}
		if fits || drop == 2 {
			out = append(out, lines...)
			break
		}
	}
	if more > 0 {
		out = append(out, th.Muted.Render(fmt.Sprintf("  +%d more versions below", more)))
	}
	return out
}

func countData(vvs []versionView) int {
	n := 0
	for _, vv := range vvs {
		if vv.hasData {
			n++
		}
	}
	return n
}

// versionLabel is "v3 stable 100%", the track in its style.
func (m *Model) versionLabel(v *fleet.Version) string {
	th := m.c.Theme
	s := th.Bold.Render("v" + termsafe.Clean(v.Version))
	track := termsafe.Clean(v.Track)
	switch {
	case v.Track == fleet.TrackShadow:
		return s + " " + th.Shadow.Render(track)
	case v.Track != "":
		s += " " + common.TrackStyle(th, v.Track).Render(track)
	case !v.Serving:
		return s + th.Muted.Render(" not serving")
	}
	if v.TrafficWeight != nil && !math.IsNaN(*v.TrafficWeight) {
		s += " " + th.Text.Render(strconv.FormatFloat(*v.TrafficWeight, 'f', -1, 64)+"%")
	}
	return s
}

// datasetVerdict says how many features drift and whether that makes
// dataset drift, then the output's verdict.
func (p painter) datasetVerdict(vv versionView) string {
	th, g := p.th, p.g
	var s string
	share := 0.0
	if vv.measured > 0 {
		share = float64(vv.drifted) / float64(vv.measured)
	}
	count := fmt.Sprintf("%d of %d features (%d %%)", vv.drifted, vv.measured, int(math.Round(share*100)))
	need := fmt.Sprintf("%d %%", int(math.Round(vv.share*100)))
	switch {
	case vv.measured == 0:
		s = th.Muted.Render("— no current feature scores")
	case vv.dataset && share >= vv.share:
		s = p.style(th.Warn).Render(g.Warn+" dataset drift: "+count) + th.Muted.Render(" ≥ "+need)
	case vv.dataset:
		s = p.style(th.Warn).Render(g.Warn + " dataset drift: " + count)
	case vv.drifted > 0:
		s = p.style(th.Warn).Render(g.Warn+" drift: "+count) + th.Muted.Render(" — dataset drift needs "+need)
	default:
		s = p.style(th.OK).Render(g.OK+" no drift") + th.Muted.Render(fmt.Sprintf(": 0 of %d features over threshold", vv.measured))
	}
	return s
}

// outputVerdict is the prediction's verdict for the header, when measured.
func (p painter) outputVerdict(vv versionView) string {
	if vv.prediction == nil || !vv.prediction.known {
		return ""
	}
	return p.th.Muted.Render(" · output ") + p.verdict(*vv.prediction)
}

// reference names what computed drift was compared with, when known.
func (p painter) reference(vv versionView) string {
	if vv.v.Drift == nil || vv.v.Drift.Reference == "" {
		return ""
	}
	return p.th.Muted.Render(" · reference ") + p.th.Text.Render(termsafe.Clean(vv.v.Drift.Reference))
}

// bodyLines are the scrolling part: staleness, the history's state, then
// per version its table and heatmap.
func (m *Model) bodyLines(mod *fleet.Model, vvs []versionView, pt painter, hist *fleet.DriftHistory) []string {
	th := m.c.Theme
	if mod == nil {
		msg := "waiting for the first poll…"
		if m.c.Snapshot != nil {
			msg = "not in the latest snapshot: no metrics or registry entry mention this model"
		}
		return []string{th.Muted.Render(msg)}
	}
	var out []string
	if stale, line := m.staleness(); stale {
		out = append(out, th.Stale.Render(line))
	}
	if countData(vvs) == 0 {
		for _, l := range common.WrapText(noDataText(mod.Name), m.width-1, 0) {
			out = append(out, " "+th.Muted.Render(l))
		}
		return out
	}
	if msg := m.historyState(); msg != "" {
		for _, l := range common.WrapText(msg, m.width-1, 0) {
			out = append(out, " "+th.Muted.Render(l))
		}
	}
	pvalues := false
	for _, vv := range vvs {
		for _, r := range vv.rows {
			pvalues = pvalues || r.pvalue != nil
		}
		if vv.prediction != nil {
			pvalues = pvalues || vv.prediction.pvalue != nil
		}
	}
	dq := false
	for _, vv := range vvs {
		dq = dq || vv.v.DataQuality != nil
	}
	l := computeLayout(m.width, pvalues, m.c.DriftHistory != nil, dq)
	for _, vv := range vvs {
		out = append(out, m.sectionTitle(vv))
		if d := vv.v.Drift; d != nil && d.ReferenceError != "" {
			for _, l := range common.WrapText(m.c.Glyphs.Warn+" "+termsafe.Clean(d.ReferenceError), m.width-1, 0) {
				out = append(out, " "+th.Warn.Render(l))
			}
		}
		if !vv.hasData {
			out = append(out, " "+th.Muted.Render("no drift data for this version"), "")
			continue
		}
		out = append(out, pt.tableHeader(l))
		for _, r := range vv.rows {
			out = append(out, pt.tableRow(r, l))
		}
		if vv.prediction != nil {
			out = append(out, " "+th.Muted.Render(common.Fit(strings.Repeat(pt.rule(), 2)+" output ", l.tableWidth()-1)))
			out = append(out, pt.tableRow(*vv.prediction, l))
		}
		out = append(out, m.tooFewNotes(vv)...)
		out = append(out, m.dqNotes(vv)...)
		if hist != nil {
			if hasHistory(vv) {
				out = append(out, "")
				out = append(out, pt.heatmap(vv, l, hist, m.c.Now, m.marks())...)
			} else {
				out = append(out, " "+th.Muted.Render("no drift history for this version over "+common.RangeText(m.hist.Range)))
			}
		}
		out = append(out, "")
	}
	return out
}

func (p painter) rule() string {
	if p.ascii {
		return "-"
	}
	return "╌"
}

// sectionTitle opens a version's section: its label and reference on a rule.
func (m *Model) sectionTitle(vv versionView) string {
	label := m.versionLabel(vv.v) + m.painter().reference(vv)
	rule := "─"
	if m.c.Glyphs.BarFull == themes.ASCII.BarFull {
		rule = "-"
	}
	th := m.c.Theme
	rest := max(m.width-3-ansi.StringWidth(label)-1, 0)
	return th.Muted.Render(rule+rule+" ") + label + " " + th.Muted.Render(strings.Repeat(rule, rest))
}

// historyState says, in plain words, why there is no trend or heatmap yet.
func (m *Model) historyState() string {
	switch {
	case m.c.DriftHistory == nil:
		return "no drift history: the metrics source cannot compute drift over time here (it needs feature histograms), " +
			"so there are no trends or heatmap; the scores are the latest poll's."
	case m.hist.Err != "":
		return "no drift history: " + m.hist.Err
	case !m.hist.Have:
		return "loading drift history over " + common.RangeText(m.hist.Range) + "…"
	}
	return ""
}

// noDataText explains what mltop needs to show drift for a model.
func noDataText(model string) string {
	return "no drift data for " + termsafe.Clean(model) + ". mltop computes drift itself from feature histograms " +
		"(model_feature_value for numbers, model_feature_category_total for categories, model_prediction_value for the output) " +
		"against a reference (an earlier window, or a profile stored with the version in the registry), " +
		"or shows scores exported as model_drift_score{feature, method}, e.g. by a scheduled Evidently job. " +
		"Neither is reported for this model."
}

// staleness reports whether the drift values are old (the judge's rule
// for drift's roles): the line names the age and the reason.
func (m *Model) staleness() (bool, string) {
	st := judge.RolesStale(m.c.Snapshot, judge.DriftRoles...)
	switch {
	case !st.Stale:
		return false, ""
	case len(st.Queries) > 0:
		q := st.Queries[0]
		age := "never computed"
		if a := q.Age(m.c.Now); a >= 0 {
			age = human.Duration(a) + " old"
		}
		line := m.c.Glyphs.Stale + " drift values " + age
		if q.Error != "" {
			line += ": " + termsafe.Clean(q.Error)
		}
		return true, line
	}
	return true, m.c.StaleSourceText(st.Sources[0])
}

// tooFewNotes explain, under a version's table, each row without a
// verdict for too few observations: distinct from "no data", and with the
// key that sets the minimum.
func (m *Model) tooFewNotes(vv versionView) []string {
	rows := vv.rows
	if vv.prediction != nil {
		rows = append(rows[:len(rows):len(rows)], *vv.prediction)
	}
	var out []string
	for _, r := range rows {
		if !r.tooFew() {
			continue
		}
		for _, l := range common.WrapText(tooFewNote(r), m.width-1, 0) {
			out = append(out, " "+m.c.Theme.Muted.Render(l))
		}
	}
	return out
}
