package themes

import "testing"

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
