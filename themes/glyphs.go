package themes

// Glyphs are the icons that carry meaning next to colour, so health is
// never shown by colour alone. ASCII is for terminals without Unicode fonts.
type Glyphs struct {
	OK, Warn, Bad, Unknown       string
	Progressing, Paused, Aborted string
	Up, Down, Same               string
	Stale                        string
	BarFull, BarEmpty            string
	Spark                        []string
	Marked                       string

	// Advancing marks a rollout stepping forward: a rollout's own glyph,
	// never one of the health icons.
	Advancing string

	// Bell counts firing alerts ("🔔2"). The Unicode bell is an emoji,
	// two cells wide: whatever draws it measures it (ansi.StringWidth),
	// never counts it as one cell.
	Bell string

	// Events mark events on graphs' time axes.
	Events EventGlyphs
}

// Unicode glyphs, as in the mockups.
var Unicode = Glyphs{
	OK: "✔", Warn: "⚠", Bad: "✖", Unknown: "◌",
	Progressing: "◌", Paused: "॥", Aborted: "✖", Advancing: "»",
	Up: "▲", Down: "▼", Same: "≈", Stale: "⏲",
	BarFull: "█", BarEmpty: "░",
	Spark:  []string{"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"},
	Marked: "●",
	Bell:   "🔔",
	Events: UnicodeEvents,
}

// ASCII glyphs for terminals that cannot draw the Unicode set.
var ASCII = Glyphs{
	OK: "+", Warn: "!", Bad: "x", Unknown: "?",
	Progressing: "~", Paused: "=", Aborted: "x", Advancing: ">",
	Up: "^", Down: "v", Same: "=", Stale: "~",
	BarFull: "#", BarEmpty: ".",
	Spark:  []string{"_", ".", "-", "-", "=", "=", "#", "#"},
	Marked: "*",
	Bell:   "@",
	Events: ASCIIEvents,
}
