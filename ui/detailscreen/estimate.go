package detailscreen

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/graph"
)

// estimateLines say, per version, what quality is estimated now without
// labels, what was last measured and how old that is, and what the
// estimate rests on (the calibration of labelled scores), or why there is
// no estimate. Models without any estimate get no section.
func (m *Model) estimateLines(vs []*fleet.Version, width int) []string {
	any := false
	for _, v := range vs {
		any = any || v.Calibration != nil || len(v.EstimatedPerformance) > 0
	}
	if !any {
		return nil
	}
	th := m.c.Theme
	var out []string
	tw := tagWidth(vs)
	for i, v := range vs {
		label := ""
		if i == 0 {
			label = m.sectionLabel("Estimate")
		}
		tag := th.Bold.Render(versionTag(v.Version, tw)) + " "
		var parts []string
		if c := v.Calibration; c != nil && c.Unavailable != "" {
			parts = append(parts, tag+th.Warn.Render("estimate unavailable: "+termsafe.Clean(c.Unavailable)))
		} else if name, e, ok := estimateOf(v); ok {
			parts = append(parts, tag+m.estimateNow(v, name, e))
		} else {
			parts = append(parts, tag+th.Muted.Render("no estimate: no calibration or exporter estimate for this version"))
		}
		if meas := m.measuredText(v); meas != "" {
			parts = append(parts, meas)
		}
		if c := v.Calibration; c != nil && c.Labels > 0 {
			// Without labelled predictions there is no calibration to rate
			// (an ECE of .000 over none would read as perfect).
			parts = append(parts, m.calibrationText(c))
		}
		out = append(out, wrapParts(label, sectionLabelWidth, parts, m.sep(), width)...)
	}
	return out
}

// estimateOf is the estimate shown for a version: the headline quality
// when the judge made it the estimate, else the estimated counterpart of
// the headline metric, else the first estimated metric.
func estimateOf(v *fleet.Version) (string, fleet.Estimate, bool) {
	q := v.Quality
	if q != nil && q.Estimated && q.Live != nil {
		return q.Metric, fleet.Estimate{Value: *q.Live, StdError: q.StdError}, true
	}
	if len(v.EstimatedPerformance) == 0 {
		return "", fleet.Estimate{}, false
	}
	if q != nil {
		for _, name := range []string{q.Metric, estimatedName(q.Metric)} {
			if e, ok := v.EstimatedPerformance[name]; ok {
				return q.Metric, e, true
			}
		}
	}
	for _, name := range fleet.EstimatedMetrics {
		if e, ok := v.EstimatedPerformance[name]; ok {
			return name, e, true
		}
	}
	for name, e := range v.EstimatedPerformance {
		return name, e, true // an exporter's metric outside CBPE's set
	}
	return "", fleet.Estimate{}, false
}

// estimatedName is CBPE's name for a metric models often report under a
// shorter one.
func estimatedName(metric string) string {
	switch strings.ToLower(metric) {
	case "auc", "roc-auc", "rocauc":
		return "roc_auc"
	case "acc":
		return "accuracy"
	}
	return metric
}

// estimateNow is "estimated now auc .86 ± .02 (CBPE, threshold 0.5)".
func (m *Model) estimateNow(v *fleet.Version, name string, e fleet.Estimate) string {
	th := m.c.Theme
	s := th.Muted.Render("estimated now "+termsafe.Clean(shortMetric(name))+" ") +
		m.value(fleet.RoleScoreCalibration, human.Score(e.Value))
	if e.StdError != nil {
		s += th.Muted.Render(" ± " + errorText(*e.StdError))
	}
	how := "exporter's own estimate"
	if c := v.Calibration; c != nil {
		how = "CBPE, threshold " + strconv.FormatFloat(c.Threshold, 'g', -1, 64)
	}
	s += th.Muted.Render(" (" + how + ")")
	if c := v.Calibration; c != nil && c.Unreliable {
		s += " " + th.Warn.Render(m.c.Glyphs.Warn+" unreliable")
	}
	return s
}

// measuredText is "measured .88 as of 2d ago (412 labels)": the figure
// the estimate stands in for, and how old it is.
func (m *Model) measuredText(v *fleet.Version) string {
	th := m.c.Theme
	q := v.Quality
	if q == nil {
		return ""
	}
	// Labels are the measured figure's, also when Live is the estimate.
	val, labels := q.Live, q.Labels
	if q.Estimated {
		val = q.Measured
	}
	if val == nil {
		return th.Muted.Render("measured —: no labelled predictions yet")
	}
	s := th.Muted.Render("measured ") + th.Text.Render(human.Score(*val))
	if asOf := v.GroundTruth.QualityAsOf; !asOf.IsZero() {
		age := max(m.c.Now.Sub(asOf).Seconds(), 0)
		s += th.Muted.Render(" as of ") + th.Text.Render(human.Age(age)+" ago")
	}
	if labels != nil {
		s += th.Muted.Render(" (" + thousands(*labels) + " labels)")
	}
	return s
}

// calibrationText is "calibration ECE .012 over 7d, 38,400 labels", or
// its warning when the calibration is too poor to trust the estimate
// ("ECE .090 > .05", the limit it was judged against).
func (m *Model) calibrationText(c *fleet.Calibration) string {
	th := m.c.Theme
	rest := " over " + human.Duration(c.Window) + ", " + thousands(c.Labels) + " labels"
	if c.Unreliable {
		limit := " above the limit"
		if c.MaxECE > 0 {
			limit = " > " + strings.Replace(strconv.FormatFloat(c.MaxECE, 'f', -1, 64), "0.", ".", 1)
			if c.ECENoise >= 0.0005 {
				// The rule allows for sampling noise: say how much.
				limit += " + " + eceText(c.ECENoise) + " sampling noise"
			}
		}
		return th.Warn.Render(m.c.Glyphs.Warn+" calibration unreliable: ECE "+eceText(c.ECE)+limit) + th.Muted.Render(rest)
	}
	return th.Muted.Render("calibration ECE ") + th.Text.Render(eceText(c.ECE)) + th.Muted.Render(rest)
}

// eceText is an expected calibration error to three places: .012.
func eceText(e float64) string {
	return strings.Replace(fmt.Sprintf("%.3f", e), "0.", ".", 1)
}

// errorText is a standard error to two places, three when it would round
// to zero at two: .02, .004.
func errorText(e float64) string {
	s := fmt.Sprintf("%.2f", e)
	if math.Round(e*100) < 1 {
		s = fmt.Sprintf("%.3f", e)
	}
	return strings.Replace(s, "0.", ".", 1)
}

// thousands is a count with thousands separators: 38,400.
func thousands(n float64) string {
	s := strconv.FormatFloat(n, 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// shortMetric is the name a metric goes by on screen: roc_auc is auc.
func shortMetric(name string) string {
	if strings.EqualFold(name, "roc_auc") {
		return "auc"
	}
	return name
}

// estimateSeries is the name of the estimate history's series of metric
// (a headline metric such as auc) for version, "" when there is none.
func (m *Model) estimateSeries(version, metric string) string {
	if !m.est.Have {
		return ""
	}
	for _, s := range m.est.Data.Series {
		if s.Version == version && (s.Metric == metric || s.Metric == estimatedName(metric)) {
			return s.Metric
		}
	}
	return ""
}

// estimateValues is the estimate of metric for version on the graphs'
// grid (the history window's steps), gaps carried over like the measured
// line's; nil without any value.
func (m *Model) estimateValues(version, metric string) []float64 {
	w, h := m.hist.Data, m.est.Data
	if w.Step <= 0 || h.Step <= 0 {
		return nil
	}
	n := int(w.Range / w.Step)
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	start := w.End.Add(-w.Range)
	any := false
	for _, s := range h.Series {
		if s.Version != version || s.Metric != metric {
			continue
		}
		for i, v := range s.Values {
			at := h.End.Add(-time.Duration(len(s.Values)-1-i) * h.Step)
			j := int(at.Sub(start)/w.Step) - 1
			if j >= 0 && j < n && !math.IsNaN(v) {
				out[j], any = v, true
			}
		}
	}
	if !any {
		return nil
	}
	graph.FillGaps(out)
	return out
}
