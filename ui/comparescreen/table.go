package comparescreen

import (
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// columns are the table's widths: label, A, B, Δ, better.
type columns struct {
	label, val, delta, better int
}

const (
	deltaWidth = 11 // "▼ +12.3pp", "▲ -1m30s"
	minLabel   = 14
	maxLabel   = 26
	maxValue   = 34
)

// tableColumns fits the table to width: the label column takes what its
// longest label needs (within bounds), the two values share the rest.
func tableColumns(rows []row, verA, verB string, width int) columns {
	c := columns{label: minLabel, delta: deltaWidth, better: max(6, ansi.StringWidth(verA), ansi.StringWidth(verB))}
	for _, r := range rows {
		if !r.heading && !r.note {
			c.label = max(c.label, ansi.StringWidth(r.label)+3)
		}
	}
	c.label = min(c.label, maxLabel)
	c.val = min(max((width-c.label-c.delta-c.better-3)/2, 6), maxValue)
	return c
}

// tableHead is the column heading line: the versions in their graph colours.
func tableHead(th *themes.Theme, c columns, headA, headB string) string {
	return common.Fit("", c.label) + common.Fit(th.Graph1.Bold(true).Render(headA), c.val) + " " +
		common.Fit(th.Graph2.Bold(true).Render(headB), c.val) + " " +
		common.Fit(th.Header.Render("Δ B−A"), c.delta) + " " + th.Header.Render("better")
}

// rowLine draws one row.
func rowLine(th *themes.Theme, g themes.Glyphs, c columns, r row, verA, verB string, now time.Time) string {
	staleAge := ""
	if r.stale.Stale {
		staleAge = "never fetched"
		if !r.stale.Since.IsZero() {
			staleAge = human.Duration(now.Sub(r.stale.Since)) + " old"
		}
	}
	switch {
	case r.heading:
		s := th.Header.Render(r.label)
		if r.outcome != "" {
			s += " " + outcomeCell(th, g, r.outcome)
		}
		if r.stale.Stale {
			s += " " + th.Stale.Render(g.Stale+" "+staleAge)
		}
		return s
	case r.note && r.detail:
		return "    " + th.Muted.Render(r.label)
	case r.note:
		return "  " + th.Muted.Render(r.label)
	}
	label := common.Fit("  "+th.Text.Render(r.label), c.label)
	va, vb := valueCell(th, g, r, true), valueCell(th, g, r, false)
	d, better := deltaCells(th, g, r, verA, verB)
	if r.stale.Stale {
		better = th.Stale.Render(g.Stale + " " + staleAge)
	}
	return label + common.Fit(va, c.val) + " " + common.Fit(vb, c.val) + " " + common.Fit(d, c.delta) + " " + better
}

// valueCell draws side A's (or B's) value: "—" when unknown, with the
// warning glyph when past a threshold, dimmed when stale.
func valueCell(th *themes.Theme, g themes.Glyphs, r row, sideA bool) string {
	var s string
	warn := r.warnB
	if sideA {
		warn = r.warnA
	}
	if r.text {
		s = r.tb
		if sideA {
			s = r.ta
		}
	} else {
		p := r.b
		if sideA {
			p = r.a
		}
		if known(p) {
			s = r.unit.format(*p)
		}
	}
	if s == "" {
		return th.Muted.Render("—")
	}
	style := th.Text
	if warn {
		style, s = th.Warn, s+" "+g.Warn
	}
	if r.stale.Stale {
		style = th.Stale
	}
	return style.Render(s)
}

// deltaCells draws Δ (B−A) with the direction glyph, and which side is better.
func deltaCells(th *themes.Theme, g themes.Glyphs, r row, verA, verB string) (string, string) {
	if r.text {
		if !r.sayIfSame || r.ta == "" || r.tb == "" {
			return "", ""
		}
		if r.ta == r.tb {
			return th.Muted.Render("same"), ""
		}
		return th.Text.Render("differs"), ""
	}
	if !known(r.a) || !known(r.b) {
		return th.Muted.Render("—"), ""
	}
	d := r.unit.delta(*r.b - *r.a)
	if r.stat != "" {
		return statCells(th, g, r.verdict(), d)
	}
	switch r.verdict() {
	case sameValue:
		return th.Muted.Render(g.Same + " " + d), th.Muted.Render(g.Same)
	case bBetter:
		return th.Better.Render(g.Up + " " + d), th.Better.Render(verB)
	case aBetter:
		return th.Worse.Render(g.Down + " " + d), th.Better.Render(verA)
	}
	return th.Muted.Render(d), ""
}

// versionLabel is how a version is named in cells: v12.
func versionLabel(v string) string { return "v" + termsafe.Clean(v) }

// statCells draw a verdict row's Δ and its word: B is better, worse, or
// ≈ (no significant difference); "?" when the verdict could not tell.
func statCells(th *themes.Theme, g themes.Glyphs, v verdict, d string) (string, string) {
	switch v {
	case sameValue:
		return th.Muted.Render(g.Same + " " + d), th.Muted.Render(g.Same)
	case bBetter:
		return th.Better.Render(g.Up + " " + d), th.Better.Render("better")
	case aBetter:
		return th.Worse.Render(g.Down + " " + d), th.Worse.Render("worse")
	}
	return th.Muted.Render(d), th.Muted.Render("?")
}

// outcomeCell is the verdict's outcome in words, in its status colour.
func outcomeCell(th *themes.Theme, g themes.Glyphs, o fleet.VerdictOutcome) string {
	switch o {
	case fleet.VerdictPass:
		return th.Better.Render(g.OK + " pass")
	case fleet.VerdictFail:
		return th.Bad.Render(g.Bad + " fail")
	}
	return th.Muted.Render(g.Unknown + " not enough data")
}
