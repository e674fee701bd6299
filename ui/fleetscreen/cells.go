package fleetscreen

import (
	"fmt"
	"math"
	"strings"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
)

// line is one table line to draw: a model's version, or its registry line.
type line struct {
	e     *entry
	v     *fleet.Version // nil on a registry line
	first bool           // the model's first line carries model-wide cells
}

func unknownCell() cell { return textCell("—", toneMuted) }

// cellFor builds what column id shows on line l, fitted to width w.
func (m *Model) cellFor(id colID, w int, l line) cell {
	d := &fleetColumns[id]
	if d.modelWide && !l.first || !d.modelWide && l.v == nil && !d.registry {
		return cell{}
	}
	c := d.cell(m, l, w, m.need[id])
	c.right = d.right
	return c
}

// joinCell says how a model with nothing wrong joins the registry: under
// another name in the metrics, or not at all (said only when a registry is
// read, else every model would say it).
func joinCell(md *fleet.Model, s *fleet.Snapshot) cell {
	if md.ServingName != "" {
		return textCell("metrics as "+termsafe.Clean(md.ServingName), toneMuted)
	}
	if md.Serving && !md.InRegistry && s != nil {
		for _, src := range s.Sources {
			if judge.RegistryKind(src.Kind) {
				return textCell("not in registry", toneMuted)
			}
		}
	}
	return cell{}
}

func healthCell(s fleet.Status, g themes.Glyphs) cell {
	switch s {
	case fleet.StatusOK:
		return textCell(g.OK, toneOK)
	case fleet.StatusWarn:
		return textCell(g.Warn, toneWarn)
	case fleet.StatusCritical:
		return textCell(g.Bad, toneBad)
	}
	return textCell(g.Unknown, toneUnknown)
}

func trackTone(track string) tone {
	switch track {
	case fleet.TrackStable:
		return toneStable
	case fleet.TrackCanary:
		return toneCanary
	case fleet.TrackShadow:
		return toneShadow
	}
	return toneMuted
}

func versionCell(v *fleet.Version, verW int) cell {
	var c cell
	c.add(padRight("v"+termsafe.Clean(v.Version), verW), toneText)
	track := termsafe.Clean(v.Track)
	if track == "" {
		track = "—"
	}
	c.add(" "+padRight(track, trackWidth), trackTone(v.Track))
	if w := v.TrafficWeight; w != nil && !math.IsNaN(*w) {
		c.add(" "+padLeft(fmt.Sprintf("%.0f", *w), weightWidth), toneText)
	} else {
		c.add(" "+padLeft("—", weightWidth), toneMuted)
	}
	return c
}

// warmingCell is the rate of a version younger than the rate window: not
// settled yet, so dimmed and marked "~"; "warm" alone where both do not fit.
func warmingCell(rps float64, w int) cell {
	c := textCell("~"+human.Rate(rps), toneMuted)
	if c.width() > w {
		return textCell("warm", toneMuted)
	}
	return c
}

func numberCell(v *float64, format func(float64) string) cell {
	if v == nil || math.IsNaN(*v) {
		return unknownCell()
	}
	return textCell(format(*v), toneText)
}

// latencyCell shows p95, or the mean labelled as such: a mean is never
// passed off as a percentile. Where the value and the label do not both
// fit, the label wins.
func latencyCell(l fleet.Latency, w int) cell {
	switch {
	case l.P95 != nil && !math.IsNaN(*l.P95):
		return textCell(human.Seconds(*l.P95), toneText)
	case l.Mean != nil && !math.IsNaN(*l.Mean):
		c := textCell(human.Seconds(*l.Mean), toneText)
		c.add(" (mean)", toneMuted)
		if c.width() > w {
			return textCell("(mean)", toneMuted)
		}
		return c
	}
	return unknownCell()
}

func errorCell(e *float64, st fleet.Status) cell {
	if e != nil && math.IsInf(*e, 1) {
		// Errors and no successful prediction: the worst ratio there is.
		return textCell("∞", toneBad)
	}
	if e == nil || math.IsNaN(*e) {
		return unknownCell()
	}
	tn := toneText
	switch st {
	case fleet.StatusCritical:
		tn = toneBad
	case fleet.StatusWarn:
		tn = toneWarn
	}
	s := human.Percent(*e)
	if textWidth(s) > errWidth {
		s = human.PercentWhole(*e) // keeps an impossible value's mark
	}
	return textCell(s, tn)
}

// metricAbbrev keeps the quality column narrow.
var metricAbbrev = map[string]string{"accuracy": "acc", "precision": "prec", "recall": "rec", "logloss": "logl", "log_loss": "logl", "roc_auc": "auc"}

// estimatedMark prefixes a quality estimated without labels (~auc .86).
// It is ASCII, so every glyph set draws it.
const estimatedMark = "~"

// metricName is the cleaned, abbreviated name of a quality metric.
func metricName(metric string) string {
	name := termsafe.Clean(metric)
	if a, ok := metricAbbrev[strings.ToLower(name)]; ok {
		return a
	}
	return name
}

func qualityCell(q quality, g themes.Glyphs) cell {
	if q.metric == "" {
		return unknownCell()
	}
	var c cell
	if q.estimated && q.known {
		// An estimate reads as one: marked, and in a quieter tone than a
		// measurement.
		c.add(estimatedMark+metricName(q.metric)+" ", toneMuted)
		c.add(human.Score(q.live), toneMuted)
	} else {
		c.add(metricName(q.metric)+" ", toneMuted)
		if !q.known {
			c.add("—", toneMuted)
			return c
		}
		c.add(human.Score(q.live), toneText)
	}
	if q.lowConf || q.unreliable {
		// Too few labels, or a poorly calibrated estimate: the detail
		// screen says which and how much.
		c.add("?", toneWarn)
	}
	switch q.verdict {
	case fleet.QualitySame:
		c.add(" "+g.Same, toneMuted)
	case fleet.QualityWorse:
		c.add(" "+g.Down+deltaText(q), toneWorse)
	case fleet.QualityBetter:
		c.add(" "+g.Up+deltaText(q), toneBetter)
	}
	return c
}

// deltaText is the size of a quality change: absolute for bounded scores,
// relative (percent) for error metrics, whose scale is arbitrary.
func deltaText(q quality) string {
	d := math.Abs(q.drop)
	if !q.relative {
		return human.Score(d)
	}
	if d*100 < 10 {
		return fmt.Sprintf("%.1f%%", d*100)
	}
	return fmt.Sprintf("%.0f%%", d*100)
}

func driftCell(d driftView) cell {
	if d.dq != "" {
		return textCell(d.dq, pick(d.dqCritical, toneBad, toneWarn))
	}
	if !d.known {
		return unknownCell()
	}
	if !d.drifted {
		return textCell("ok", toneOK)
	}
	var c cell
	c.add(drift.ShortName(d.method)+" "+human.Score(d.score), toneWarn)
	c.add(" "+d.feature, toneWarn)
	return c
}

func labelsCell(gt fleet.GroundTruth, g themes.Glyphs) cell {
	a, f := gt.LastLabelAgeSeconds, gt.LabeledFraction
	known := func(p *float64) bool { return p != nil && !math.IsNaN(*p) }
	if !known(a) && !known(f) {
		return unknownCell()
	}
	var c cell
	if known(a) {
		c.add(human.Age(*a), pick(gt.Old, toneWarn, toneText))
	} else {
		c.add("—", toneMuted)
	}
	c.add(" · ", toneMuted)
	if known(f) {
		c.add(share(*f), pick(gt.FewLabelled, toneWarn, toneText))
	} else {
		c.add("—", toneMuted)
	}
	if gt.Old || gt.FewLabelled {
		c.add(" "+g.Warn, toneWarn)
	}
	return c
}

// share formats a labelled fraction: whole percents, one decimal under 1%.
func share(f float64) string {
	if f > 0 && f < 0.01 {
		return fmt.Sprintf("%.1f%%", f*100)
	}
	return fmt.Sprintf("%.0f%%", f*100)
}

func pick(cond bool, a, b tone) tone {
	if cond {
		return a
	}
	return b
}

// whyCell shows the worst finding for the line, so the reason sits next to
// the icon where there is room: on the first line the model's own findings
// count too.
func whyCell(l line) cell {
	var fs []fleet.Finding
	if l.v != nil {
		fs = l.v.Health.Findings
	}
	var f *fleet.Finding
	if len(fs) > 0 {
		f = &fs[0]
	}
	more := len(fs) - 1
	if l.first {
		for i := range l.e.m.Health.Findings {
			mf := &l.e.m.Health.Findings[i]
			if mf.Version != "" {
				continue
			}
			if f == nil || mf.Status > f.Status {
				f = mf
			}
			more++
		}
	}
	if f == nil {
		return cell{}
	}
	tn := toneWarn
	if f.Status == fleet.StatusCritical {
		tn = toneBad
	}
	var c cell
	c.add(termsafe.Clean(f.Message), tn)
	if more > 0 {
		c.add(fmt.Sprintf(" +%d", more), toneMuted)
	}
	return c
}

func padRight(s string, w int) string {
	if n := textWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func padLeft(s string, w int) string {
	if n := textWidth(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}
