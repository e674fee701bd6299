// Package themes builds every style the dashboard uses from a small set of
// semantic colours, so a theme is one palette and nothing else.
package themes

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Palette names colours by meaning, never by hue: screens ask for "bad",
// not "red", so the colour-blind and high-contrast themes are palettes too.
type Palette struct {
	Name string
	Dark bool // drawn on a dark background

	Fg, Muted, Subtle, Faint color.Color // text: normal, secondary, tertiary, barely there
	Bg, Surface, Border      color.Color // background, raised panels, lines
	Accent, AccentFg         color.Color // focus, selection, keys
	SelectionBg              color.Color

	OK, Warn, Bad, Unknown color.Color // health
	Stale                  color.Color // values older than the latest poll
	Better, Worse          color.Color // deltas against a baseline

	Stable, Canary, Shadow color.Color // rollout tracks
	Progressing, Paused    color.Color // rollout phases not covered by health

	Graph1, Graph2, Reference color.Color    // two series and a baseline line
	Heat                      [5]color.Color // drift heatmap, low to high
}

func hex(s string) color.Color { return lipgloss.Color(s) }

// Dark is the default palette on dark terminals.
var Dark = Palette{
	Name: "dark", Dark: true,
	Fg: hex("#E6E6E6"), Muted: hex("#A0A0A0"), Subtle: hex("#707070"), Faint: hex("#4A4A4A"),
	Bg: hex("#000000"), Surface: hex("#1C1C1C"), Border: hex("#3A3A3A"),
	Accent: hex("#7AA2F7"), AccentFg: hex("#000000"), SelectionBg: hex("#2A3450"),
	OK: hex("#73D07F"), Warn: hex("#E5C07B"), Bad: hex("#F7768E"), Unknown: hex("#8A8A8A"),
	Stale: hex("#6A6A6A"), Better: hex("#73D07F"), Worse: hex("#F7768E"),
	Stable: hex("#9ECE6A"), Canary: hex("#E0AF68"), Shadow: hex("#BB9AF7"),
	Progressing: hex("#7DCFFF"), Paused: hex("#E0AF68"),
	Graph1: hex("#7AA2F7"), Graph2: hex("#E0AF68"), Reference: hex("#707070"),
	Heat: [5]color.Color{hex("#2E3440"), hex("#4C566A"), hex("#D08770"), hex("#E5534B"), hex("#FF2D55")},
}

// Light is the default palette on light terminals.
var Light = Palette{
	Name: "light", Dark: false,
	Fg: hex("#1F2328"), Muted: hex("#57606A"), Subtle: hex("#8C959F"), Faint: hex("#D0D7DE"),
	Bg: hex("#FFFFFF"), Surface: hex("#F6F8FA"), Border: hex("#D0D7DE"),
	Accent: hex("#0969DA"), AccentFg: hex("#FFFFFF"), SelectionBg: hex("#DDF4FF"),
	OK: hex("#1A7F37"), Warn: hex("#9A6700"), Bad: hex("#CF222E"), Unknown: hex("#6E7781"),
	Stale: hex("#8C959F"), Better: hex("#1A7F37"), Worse: hex("#CF222E"),
	Stable: hex("#1A7F37"), Canary: hex("#BC4C00"), Shadow: hex("#8250DF"),
	Progressing: hex("#0969DA"), Paused: hex("#9A6700"),
	Graph1: hex("#0969DA"), Graph2: hex("#BC4C00"), Reference: hex("#8C959F"),
	Heat: [5]color.Color{hex("#F6F8FA"), hex("#FFD8B5"), hex("#FB8F44"), hex("#E5534B"), hex("#A40E26")},
}

// HighContrast uses pure colours at full strength for low-vision users and
// washed-out projectors.
var HighContrast = Palette{
	Name: "high-contrast", Dark: true,
	Fg: hex("#FFFFFF"), Muted: hex("#D0D0D0"), Subtle: hex("#B0B0B0"), Faint: hex("#808080"),
	Bg: hex("#000000"), Surface: hex("#000000"), Border: hex("#FFFFFF"),
	Accent: hex("#00FFFF"), AccentFg: hex("#000000"), SelectionBg: hex("#0000AA"),
	OK: hex("#00FF00"), Warn: hex("#FFFF00"), Bad: hex("#FF3030"), Unknown: hex("#C0C0C0"),
	Stale: hex("#A0A0A0"), Better: hex("#00FF00"), Worse: hex("#FF3030"),
	Stable: hex("#00FF00"), Canary: hex("#FFFF00"), Shadow: hex("#FF00FF"),
	Progressing: hex("#00FFFF"), Paused: hex("#FFFF00"),
	Graph1: hex("#00FFFF"), Graph2: hex("#FFFF00"), Reference: hex("#FFFFFF"),
	Heat: [5]color.Color{hex("#000000"), hex("#404040"), hex("#FFFF00"), hex("#FF8000"), hex("#FF0000")},
}

// ColorBlind uses the Okabe–Ito palette, distinguishable with every common
// colour-vision deficiency: good is bluish green, bad vermillion, warning orange.
var ColorBlind = Palette{
	Name: "colorblind", Dark: true,
	Fg: hex("#E6E6E6"), Muted: hex("#A0A0A0"), Subtle: hex("#707070"), Faint: hex("#4A4A4A"),
	Bg: hex("#000000"), Surface: hex("#1C1C1C"), Border: hex("#3A3A3A"),
	Accent: hex("#56B4E9"), AccentFg: hex("#000000"), SelectionBg: hex("#1F3A4D"),
	OK: hex("#009E73"), Warn: hex("#E69F00"), Bad: hex("#D55E00"), Unknown: hex("#999999"),
	Stale: hex("#6A6A6A"), Better: hex("#009E73"), Worse: hex("#D55E00"),
	Stable: hex("#009E73"), Canary: hex("#E69F00"), Shadow: hex("#CC79A7"),
	Progressing: hex("#56B4E9"), Paused: hex("#F0E442"),
	Graph1: hex("#56B4E9"), Graph2: hex("#E69F00"), Reference: hex("#999999"),
	Heat: [5]color.Color{hex("#1C1C1C"), hex("#0072B2"), hex("#F0E442"), hex("#E69F00"), hex("#D55E00")},
}
