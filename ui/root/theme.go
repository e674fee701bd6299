package root

import (
	"fmt"
	"image/color"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"

	"github.com/mltop/mltop/themes"
)

// themeNames are the names :theme completes, in the order shown.
var themeNames = []string{"auto", "dark", "light", "high-contrast", "colorblind", "no-color"}

// themeChoice is what the user asked for; "auto" follows the terminal's
// background, which is only known once the terminal answers.
type themeChoice struct {
	name string
	dark bool // terminal background, dark until told otherwise
}

func (t themeChoice) build() (*themes.Theme, error) {
	th, err := themes.ByName(t.name, t.dark)
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	return th, nil
}

// ResolveTheme returns the theme named name ("" = auto), with colours
// dropped when noColor is set (NO_COLOR, --no-color). darkBackground is
// the guess used by "auto" before the terminal reports its background.
func ResolveTheme(name string, noColor, darkBackground bool) (*themes.Theme, error) {
	if noColor {
		name = "no-color"
	}
	return themeChoice{name: normalTheme(name), dark: darkBackground}.build()
}

// terminalColors are the background and text colours the terminal is
// asked to take while the dashboard runs (restored on exit), nil when its
// own are right. A theme drawn for the other kind of background (:theme
// light on a dark terminal) colours only text: dark text on a black
// background is unreadable, so the terminal takes the theme's background.
func (t themeChoice) terminalColors(th *themes.Theme) (bg, fg color.Color) {
	if th == nil || th.NoColor || th.Palette.Dark == t.dark {
		return nil, nil
	}
	return th.Palette.Bg, th.Palette.Fg
}

func normalTheme(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return "auto"
	}
	return name
}

// helpStyles draws key help with the theme's key styles.
func helpStyles(t *themes.Theme) help.Styles {
	return help.Styles{
		Ellipsis:       t.Subtle,
		ShortKey:       t.Key,
		ShortDesc:      t.KeyDesc,
		ShortSeparator: t.Subtle,
		FullKey:        t.Key,
		FullDesc:       t.KeyDesc,
		FullSeparator:  t.Subtle,
	}
}

// inputStyles draws the filter and command inputs with a steady cursor:
// a blinking one would redraw the screen twice a second for nothing.
func inputStyles(t *themes.Theme) textinput.Styles {
	s := textinput.DefaultStyles(t.Palette.Dark)
	state := textinput.StyleState{Text: t.Text, Placeholder: t.Subtle, Suggestion: t.Subtle, Prompt: t.Key}
	s.Focused, s.Blurred = state, state
	s.Cursor.Blink = false
	s.Cursor.Color = t.Palette.Accent
	if t.NoColor {
		s.Cursor.Color = nil
	}
	return s
}
