package themes

import (
	"fmt"
	"image/color"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
)

// Theme is a palette turned into styles. Screens take every style from here.
type Theme struct {
	Palette Palette
	NoColor bool

	Text, Muted, Subtle, Bold lipgloss.Style
	Title, Header, Breadcrumb lipgloss.Style
	Selected, Marked          lipgloss.Style
	Border                    lipgloss.Style // a box; width set by the caller
	Panel                     lipgloss.Style
	StatusBar, StatusKey      lipgloss.Style
	Key, KeyDesc              lipgloss.Style
	OK, Warn, Bad, Unknown    lipgloss.Style
	Stale                     lipgloss.Style
	Better, Worse             lipgloss.Style
	Stable, Canary, Shadow    lipgloss.Style
	Progressing, Paused       lipgloss.Style
	Graph1, Graph2, Reference lipgloss.Style
	Dialog, Button, ButtonOn  lipgloss.Style
	Input                     lipgloss.Style
	Heat                      [5]lipgloss.Style
	ReadOnly                  lipgloss.Style
}

// Build turns a palette into a theme. With noColor every colour is dropped
// and emphasis falls back to bold, underline and reverse video, so nothing
// relies on colour alone (NO_COLOR, --no-color).
func Build(p Palette, noColor bool) *Theme {
	s := func() lipgloss.Style { return lipgloss.NewStyle() }
	fg := func(c string) lipgloss.Style {
		if noColor {
			return s()
		}
		return s().Foreground(p.pick(c))
	}
	t := &Theme{Palette: p, NoColor: noColor}
	t.Text = fg("fg")
	t.Muted = fg("muted")
	t.Subtle = fg("subtle")
	t.Bold = fg("fg").Bold(true)
	t.Title = fg("accent").Bold(true)
	t.Header = fg("muted").Bold(true)
	t.Breadcrumb = fg("accent")
	t.Selected = s().Reverse(noColor).Bold(true)
	if !noColor {
		t.Selected = s().Background(p.SelectionBg).Foreground(p.Fg).Bold(true)
	}
	t.Marked = fg("accent").Underline(true)
	t.Border = s().Border(lipgloss.RoundedBorder())
	t.Panel = s().Border(lipgloss.NormalBorder())
	if !noColor {
		t.Border = t.Border.BorderForeground(p.Border)
		t.Panel = t.Panel.BorderForeground(p.Border)
	}
	t.StatusBar = fg("muted")
	t.StatusKey = fg("accent").Bold(true)
	t.Key = fg("accent").Bold(true)
	t.KeyDesc = fg("muted")
	t.OK = fg("ok")
	t.Warn = fg("warn").Bold(true)
	t.Bad = fg("bad").Bold(true)
	t.Unknown = fg("unknown")
	t.Stale = fg("stale").Faint(true)
	if noColor {
		t.Stale = s().Faint(true).Italic(true)
	}
	t.Better = fg("better")
	t.Worse = fg("worse").Bold(true)
	t.Stable = fg("stable")
	t.Canary = fg("canary")
	t.Shadow = fg("shadow")
	t.Progressing = fg("progressing")
	t.Paused = fg("paused")
	t.Graph1 = fg("graph1")
	t.Graph2 = fg("graph2")
	t.Reference = fg("reference")
	t.Dialog = t.Border.Padding(0, 1)
	t.Button = fg("muted").Padding(0, 1)
	t.ButtonOn = s().Reverse(true).Bold(true).Padding(0, 1)
	if !noColor {
		t.ButtonOn = s().Background(p.Accent).Foreground(p.AccentFg).Bold(true).Padding(0, 1)
	}
	t.Input = fg("fg").Underline(true)
	for i := range t.Heat {
		if noColor {
			t.Heat[i] = s()
		} else {
			t.Heat[i] = s().Foreground(p.Heat[i])
		}
	}
	t.ReadOnly = fg("warn").Bold(true).Reverse(noColor)
	return t
}

// pick maps a semantic name to the palette's colour.
func (p Palette) pick(name string) color.Color {
	switch name {
	case "fg":
		return p.Fg
	case "muted":
		return p.Muted
	case "subtle":
		return p.Subtle
	case "accent":
		return p.Accent
	case "ok":
		return p.OK
	case "warn":
		return p.Warn
	case "bad":
		return p.Bad
	case "unknown":
		return p.Unknown
	case "stale":
		return p.Stale
	case "better":
		return p.Better
	case "worse":
		return p.Worse
	case "stable":
		return p.Stable
	case "canary":
		return p.Canary
	case "shadow":
		return p.Shadow
	case "progressing":
		return p.Progressing
	case "paused":
		return p.Paused
	case "graph1":
		return p.Graph1
	case "graph2":
		return p.Graph2
	case "reference":
		return p.Reference
	}
	panic(fmt.Sprintf("themes: unknown colour %v", name))
}

var palettes = map[string]Palette{
	Dark.Name: Dark, Light.Name: Light, HighContrast.Name: HighContrast, ColorBlind.Name: ColorBlind,
}

// Names lists the themes a user can choose, plus "auto" and "no-color".
func Names() []string {
	names := []string{"auto", "no-color"}
	for n := range palettes {
		names = append(names, n)
	}
	sort.Strings(names[2:])
	return names
}

// Known reports whether name names a theme ByName accepts, so a config
// can be checked without building one.
func Known(name string) bool {
	_, err := ByName(name, true)
	return err == nil
}

// ByName returns the named theme. "auto" (or "") picks dark or light from
// the terminal's background; "no-color" drops colours.
func ByName(name string, darkBackground bool) (*Theme, error) {
	switch n := strings.ToLower(strings.TrimSpace(name)); n {
	case "", "auto":
		if darkBackground {
			return Build(Dark, false), nil
		}
		return Build(Light, false), nil
	case "no-color", "nocolor", "none":
		return Build(Dark, true), nil
	case "okabe-ito", "color-blind", "colourblind":
		return Build(ColorBlind, false), nil
	default:
		p, ok := palettes[n]
		if !ok {
			return nil, fmt.Errorf("unknown theme %q (known: %s)", name, strings.Join(Names(), ", "))
		}
		return Build(p, false), nil
	}
}
