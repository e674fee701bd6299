package themes

import (
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
)

// The bell must not read as a health icon: "!2" beside a model would look
// like a warning.
func TestBellIsNotAHealthIcon(t *testing.T) {
	for name, g := range map[string]Glyphs{"Unicode": Unicode, "ASCII": ASCII} {
		for _, icon := range []string{g.OK, g.Warn, g.Bad, g.Unknown, g.Progressing, g.Paused, g.Marked} {
			if g.Bell == icon {
				t.Errorf("%s: the bell %q is also a health or rollout icon", name, g.Bell)
			}
		}
	}
}

// Event marks sit one per column under a plot: each must be one cell wide
// and the kinds must differ, so a mark reads without colour.
func TestEventGlyphsAreOneCellAndDistinct(t *testing.T) {
	kinds := []fleet.EventKind{fleet.EventDeploy, fleet.EventAlias, fleet.EventStage, fleet.EventRolloutStep,
		fleet.EventAction, fleet.EventDriftOnset, fleet.EventAlert}
	for name, g := range map[string]EventGlyphs{"Unicode": UnicodeEvents, "ASCII": ASCIIEvents} {
		seen := map[string]fleet.EventKind{}
		for _, k := range kinds {
			s := g.Of(k)
			if w := ansi.StringWidth(s); w != 1 {
				t.Errorf("%s: %s mark %q is %d cells", name, k, s, w)
			}
			if other, dup := seen[s]; dup {
				t.Errorf("%s: %s and %s share the mark %q", name, k, other, s)
			}
			seen[s] = k
		}
		if _, dup := seen[g.Several]; dup || g.Several == g.Axis || g.Several == g.Tick {
			t.Errorf("%s: the several-events mark %q is also another mark", name, g.Several)
		}
		for _, s := range []string{g.Axis, g.Corner, g.Tick, g.Several} {
			if ansi.StringWidth(s) != 1 {
				t.Errorf("%s: axis glyph %q is not one cell", name, s)
			}
		}
	}
	ascii := []string{ASCIIEvents.Several, ASCIIEvents.Axis, ASCIIEvents.Corner, ASCIIEvents.Tick}
	for _, k := range kinds {
		ascii = append(ascii, ASCIIEvents.Of(k))
	}
	for _, s := range ascii {
		for _, r := range s {
			if r > 127 {
				t.Errorf("ASCII mark %q is not ASCII", s)
			}
		}
	}
}
