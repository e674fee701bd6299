package driftscreen

import (
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/page"
)

// pageKey is everything a page is drawn from besides the scroll position:
// when it changes the page is stale.
func (m *Model) pageKey() page.Key {
	return page.NewKey(m.c, m.width, m.height, m.hist.Range, m.hist.Serial+m.events.Serial)
}

// drawnPage is the page drawn for a state.
type drawnPage struct {
	page.Page
	key page.Key
}

func (m *Model) painter() painter {
	stale, _ := m.staleness()
	return painter{th: m.c.Theme, g: m.c.Glyphs, ascii: m.c.ASCII(), stale: stale, rng: m.hist.Range}
}

// build draws the page.
func (m *Model) build() drawnPage {
	w, h := m.width, m.height
	p := drawnPage{key: m.pageKey()}
	if w == 0 || h == 0 {
		return p
	}
	mod := m.c.FindModel(m.model)
	var hist *fleet.DriftHistory
	if m.hist.Have {
		hist = &m.hist.Data
	}
	var vvs []versionView
	if mod != nil {
		vvs = views(mod, hist)
	}
	pt := m.painter()
	p.Page = page.New(w, h, m.headerLines(mod, vvs, pt), page.RangeKeys(m.c.Theme, m.hist.Range))
	p.SetBody(m.bodyLines(mod, vvs, pt, hist))
	return p
}
