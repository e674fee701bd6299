package fleetscreen

import (
	"fmt"
	"math"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
)

const barCells = 4

// phaseIcon is a rollout phase's glyph and tone. The glyphs are the
// rollout's own, never a health icon: beside a failing model, a finished
// rollout must not read as a green check. A phase with no glyph (nothing
// in flight, or a rollout that ended badly) shows its word alone.
func phaseIcon(phase string, g themes.Glyphs) (string, tone) {
	switch phase {
	case "Healthy":
		return "", toneMuted
	case "Progressing":
		return g.Advancing, toneProgressing
	case "Paused":
		return g.Paused, tonePaused
	case "Degraded", "Aborted":
		return "", toneBad
	}
	return g.Unknown, toneUnknown
}

// canaryWeight is the actual weight of the rollout's canary, if it has one
// (a shadow candidate takes no live traffic, so it gets no bar).
func canaryWeight(m *fleet.Model) (float64, bool) {
	r := m.Rollout
	var canary *fleet.Version
	if r.Candidate != "" {
		canary = m.Version(r.Candidate)
		if canary != nil && canary.Track != "" && canary.Track != fleet.TrackCanary {
			return 0, false
		}
	}
	if canary == nil {
		for i := range m.Versions {
			if m.Versions[i].Serving && m.Versions[i].Track == fleet.TrackCanary {
				canary = &m.Versions[i]
				break
			}
		}
	}
	if canary == nil && r.Candidate == "" {
		return 0, false
	}
	if canary != nil {
		if w, ok := r.Weights[canary.Version]; ok && !math.IsNaN(w) {
			return w, true
		}
		if w := canary.TrafficWeight; w != nil && !math.IsNaN(*w) {
			return *w, true
		}
	}
	if w := r.SetWeight; w != nil && !math.IsNaN(*w) {
		return *w, true
	}
	return 0, false
}

// rolloutCell shows phase, step and canary weight, dropping the phase word
// (where a glyph stands for it) and then the bar when the column is narrow.
func rolloutCell(m *fleet.Model, w int, g themes.Glyphs) cell {
	r := m.Rollout
	if r == nil || (r.Phase == "" && r.Candidate == "") {
		// Tracks alone (no rollout metrics, nothing in flight) say nothing.
		return unknownCell()
	}
	icon, tn := phaseIcon(r.Phase, g)
	phase := termsafe.Clean(r.Phase)
	if phase == "" {
		phase = "?"
	}
	step := ""
	if r.Step != nil && r.Steps != nil {
		step = fmt.Sprintf("%d/%d", *r.Step, *r.Steps)
	}
	weight, hasBar := canaryWeight(m)
	build := func(withPhase, withBar, withPct bool) cell {
		var c cell
		switch {
		case icon == "":
			c.add(phase, tn)
		case withPhase:
			c.add(icon, tn)
			c.add(" "+phase, tn)
		default:
			c.add(icon, tn)
		}
		if step != "" {
			c.add(" "+step, toneText)
		}
		if hasBar && withBar {
			addBar(&c, weight, g)
		}
		if hasBar && (withBar || withPct) {
			sep := " "
			if withBar {
				sep = ""
			}
			c.add(fmt.Sprintf("%s%.0f%%", sep, weight), toneText)
		}
		return c
	}
	variants := [...]cell{
		build(true, true, true),
		build(false, true, true),
		build(true, false, true),
		build(false, false, true),
		build(true, false, false),
	}
	// The analysis's counts go after the widest variant that leaves room
	// for them; where none does, they are left out.
	if counts, ok := countAnalysis(r); ok {
		for _, v := range variants {
			addAnalysis(&v, counts, g)
			if v.width() <= w {
				return v
			}
		}
	}
	if step == "" && !hasBar {
		return variants[0]
	}
	for i := range variants {
		if variants[i].width() <= w {
			return variants[i]
		}
	}
	return variants[len(variants)-1]
}

// addBar draws the canary's weight as a small bar: ▕██░░▏.
func addBar(c *cell, weight float64, g themes.Glyphs) {
	full := int(math.Round(math.Max(0, math.Min(100, weight)) / 100 * barCells))
	left, right := "▕", "▏"
	if len(g.BarFull) == 1 { // an ASCII glyph set
		left, right = "[", "]"
	}
	c.add(" "+left, toneMuted)
	c.add(strings.Repeat(g.BarFull, full), toneCanary)
	c.add(strings.Repeat(g.BarEmpty, barCells-full), toneMuted)
	c.add(right, toneMuted)
}
