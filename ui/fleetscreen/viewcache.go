package fleetscreen

import (
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// viewCache is the last View's text. The text depends only on the
// screen's state, changed by Update, SetSize, SetFilter and Pin (each
// drops the cache), and on the theme and glyphs it was drawn with: an idle
// second's clock tick redraws the status line, not a thousand rows.
type viewCache struct {
	text  string
	valid bool
	theme *themes.Theme
	bar   string // the glyphs' bar, standing for the glyph set (ASCII or not)
}

func (v *viewCache) drop() { v.valid = false }

// cachedView returns the cached text when it was drawn with the same theme and
// glyphs, else draws and keeps it.
func (m *Model) cachedView(draw func() string) string {
	v := &m.viewCache
	if v.valid && v.theme == m.c.Theme && v.bar == m.c.Glyphs.BarFull {
		return v.text
	}
	v.text, v.valid, v.theme, v.bar = draw(), true, m.c.Theme, m.c.Glyphs.BarFull
	return v.text
}

// idleTick reports whether msg is a clock tick that changes nothing drawn:
// staleness ages are the only thing the screen draws from the clock.
func (m *Model) idleTick(msg any) bool {
	_, tick := msg.(common.TickMsg)
	return tick && !m.anyStale()
}
