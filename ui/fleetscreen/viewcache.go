package fleetscreen

import (
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// viewCache is the last View's text and what it was drawn from. An idle
// second's clock tick then redraws the status line, not a thousand rows.
type viewCache struct {
	text  string
	valid bool
	from  viewInputs
}

// viewInputs is what View reads that can change: every change to the data,
// the sort, the filter or the width passes through relayout (layouts
// counts them), the rest is the cursor, the size and the look.
type viewInputs struct {
	layouts        int
	sel, offset    int
	width, height  int
	snap           *fleet.Snapshot
	theme          *themes.Theme
	paints         *paints
	bar, stale, up string // the glyphs, standing for the glyph set
}

func (m *Model) viewInputs() viewInputs {
	g := m.c.Glyphs
	return viewInputs{layouts: m.layouts, sel: m.sel, offset: m.offset, width: m.width, height: m.height,
		snap: m.snap, theme: m.c.Theme, paints: m.paints, bar: g.BarFull, stale: g.Stale, up: g.Up}
}

func (v *viewCache) drop() { v.valid = false }

// cachedView returns the cached text when nothing it was drawn from has
// changed, else draws and keeps it.
func (m *Model) cachedView(draw func() string) string {
	v := &m.viewCache
	in := m.viewInputs()
	if v.valid && v.from == in {
		return v.text
	}
	v.text, v.valid, v.from = draw(), true, in
	return v.text
}

// idleTick reports whether msg is a clock tick that changes nothing drawn:
// staleness ages are the only thing the screen draws from the clock.
func (m *Model) idleTick(msg any) bool {
	_, tick := msg.(common.TickMsg)
	return tick && !m.anyStale()
}
