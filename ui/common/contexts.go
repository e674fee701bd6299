package common

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/themes"
)

// Contexts: the dashboard around the root (ui/contexts) shows one config
// context at a time; the root asks it for another with these messages.
type (
	// ContextInfo is one config context as the dashboard names it.
	ContextInfo struct {
		Name  string
		Color string // a colour name or #rrggbb; "" draws it in the theme's accent
		Host  string // the metrics server's host; "" when there is none
	}
	// SwitchContextMsg asks to show the context Name; Model, when set,
	// opens that model's detail there.
	SwitchContextMsg struct{ Name, Model string }
	// ListContextsMsg asks for the contexts with their health (:ctx).
	ListContextsMsg struct{}
	// AllContextsMsg asks for every context's fleet in one table (:ctx all).
	AllContextsMsg struct{}
	// OpenScreenMsg asks the root to push a screen built around it (the
	// contexts list).
	OpenScreenMsg struct{ Screen Screen }
)

// AllContexts is the name of the merged view of every context (:ctx all).
const AllContexts = "all"

// CrossContextRefusal is what an action key says in the merged view.
const CrossContextRefusal = "actions never cross contexts: press enter to open the model in its context"

// AlertsPerContext is what :alerts says in the merged view.
const AlertsPerContext = "alerts are each context's: :ctx NAME, then :alerts"

// ContextStyle draws a context's name: bold, in its colour. The colour
// names that carry a meaning (red for production) take the theme's shade
// of it, so a colour-blind or high-contrast theme keeps them apart; no
// colour at all under no-color, where bold and reverse video say it.
func ContextStyle(t *themes.Theme, color string) lipgloss.Style {
	s := lipgloss.NewStyle().Bold(true)
	if t.NoColor {
		return s.Reverse(true)
	}
	switch c := strings.ToLower(strings.TrimSpace(color)); {
	case c == "":
		return s.Foreground(t.Palette.Accent)
	case c == "red":
		return s.Foreground(t.Palette.Bad)
	case c == "green":
		return s.Foreground(t.Palette.OK)
	case c == "yellow" || c == "orange":
		return s.Foreground(t.Palette.Warn)
	case strings.HasPrefix(c, "#"):
		return s.Foreground(lipgloss.Color(c))
	default:
		if ansi, ok := ansiColors[c]; ok {
			return s.Foreground(lipgloss.Color(ansi))
		}
		return s.Foreground(t.Palette.Accent)
	}
}

// ansiColors are the other colour names a context may take: the
// terminal's own shades.
var ansiColors = map[string]string{
	"black": "0", "blue": "4", "magenta": "5", "purple": "5", "cyan": "6", "white": "7", "gray": "8", "grey": "8",
}

// MergedModelName is a model's name in the view of every context: the
// context first, so two contexts' models of one name stay apart.
func MergedModelName(context, name string) string { return context + "/" + name }

// NameInContext is the name a model of the merged view has in its own
// context (its name as is outside the merged view).
func NameInContext(md *fleet.Model) string {
	if md.Context == "" {
		return md.Name
	}
	return strings.TrimPrefix(md.Name, md.Context+"/")
}
