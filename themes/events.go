package themes

import (
	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/internal/fleet"
)

// EventGlyphs mark events on a graph's time axis, one per kind, each one
// cell wide and distinct, so the kind reads without colour.
type EventGlyphs struct {
	Deploy, Alias, Stage, RolloutStep, Action, DriftOnset, Alert string
	// Several marks events of different kinds that fall on one column.
	Several string
	// Axis and Tick draw the time axis under a plot: its line, its
	// corner at the y axis, and the ticks the times below name.
	Axis, Corner, Tick string
}

// UnicodeEvents are the event marks of the Unicode glyph set.
var UnicodeEvents = EventGlyphs{
	Deploy: "◆", Alias: "@", Stage: "§", RolloutStep: "»", Action: "✎", DriftOnset: "≈", Alert: "!",
	Several: "✱",
	Axis:    "─", Corner: "└", Tick: "┴",
}

// ASCIIEvents are the event marks for terminals without Unicode fonts.
var ASCIIEvents = EventGlyphs{
	Deploy: "D", Alias: "@", Stage: "S", RolloutStep: ">", Action: "A", DriftOnset: "~", Alert: "!",
	Several: "*",
	Axis:    "-", Corner: "'", Tick: "+",
}

// Of is the glyph of an event kind; an unknown kind gets Several's.
func (g EventGlyphs) Of(kind fleet.EventKind) string {
	switch kind {
	case fleet.EventDeploy:
		return g.Deploy
	case fleet.EventAlias:
		return g.Alias
	case fleet.EventStage:
		return g.Stage
	case fleet.EventRolloutStep:
		return g.RolloutStep
	case fleet.EventAction:
		return g.Action
	case fleet.EventDriftOnset:
		return g.DriftOnset
	case fleet.EventAlert:
		return g.Alert
	}
	return g.Several
}

// EventStyle is how an event kind's mark is coloured: alerts as bad,
// drift as a warning, mltop's own actions as headers, moves of versions
// in the rollout's colours.
func (t *Theme) EventStyle(kind fleet.EventKind) lipgloss.Style {
	switch kind {
	case fleet.EventAlert:
		return t.Bad
	case fleet.EventDriftOnset:
		return t.Warn
	case fleet.EventAction:
		return t.Header
	case fleet.EventDeploy, fleet.EventRolloutStep:
		return t.Canary
	case fleet.EventAlias, fleet.EventStage:
		return t.Stable
	}
	return t.Text
}
