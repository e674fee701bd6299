package detailscreen

import (
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/page"
)

// pageKey is everything a page is drawn from besides the scroll position:
// when it changes the page is stale.
func (m *Model) pageKey() page.Key {
	return page.NewKey(m.c, m.width, m.height, m.hist.Range, m.serial())
}

// drawnPage is the page drawn for a state, and the graph width it plans
// the next history fetch for.
type drawnPage struct {
	page.Page
	key        page.Key
	fetchWidth int
}

// build draws the page. With store it keeps the plots it used as the new
// cache; without, it only reads the cache (View's path).
func (m *Model) build(store bool) drawnPage {
	w, h := m.width, m.height
	p := drawnPage{key: m.pageKey()}
	mod := m.c.FindModel(m.model)
	var vs []*fleet.Version
	if mod != nil {
		vs = shownVersions(mod)
	}
	// Before the first size, plan the fetch for a common terminal width.
	p.fetchWidth = computeLayout(max(w, 80), max(h, 24), len(vs)).fetchWidth()
	if w == 0 || h == 0 {
		return p
	}

	headerMax := 1
	if h >= 10 {
		headerMax = 2
	}
	p.Page = page.New(w, h, m.headerLines(mod, w, headerMax), page.RangeKeys(m.c.Theme, m.hist.Range))

	var body []string
	body = append(body, m.introLines(mod, w)...)
	if mod != nil {
		body = append(body, m.servedLines(w)...)
	}
	if mod != nil {
		lay := computeLayout(w, h, len(vs))
		var rest []string
		rest = append(rest, m.rolloutLines(mod, w)...)
		rest = append(rest, m.labelLines(vs, w)...)
		rest = append(rest, m.estimateLines(vs, w)...)
		rest = append(rest, m.lineageLines(vs, w)...)
		evRows := 0
		if m.c.Events != nil {
			evRows = 1 + minEventLines
		}
		lay.fitGraphRows(p.BodyHeight, len(body)+len(rest)+evRows, len(vs), 4)

		want := plotCacheKey{serial: m.serial(), theme: m.c.Theme, ascii: m.c.ASCII()}
		look := &plotLookup{}
		if m.plots.key == want {
			look.cached = m.plots.plots
		}
		if store {
			look.keep = map[plotKey]plot{}
		}
		body = append(body, m.panels(vs, lay, look)...)
		if store {
			m.plots = plotCache{key: want, plots: look.keep}
		}
		// Scrolled to the bottom, the list and the sections under it
		// fill one screen.
		room := min(p.BodyHeight-len(rest)-2, maxEventLines)
		body = append(body, m.eventLines(w, room)...)
		body = append(body, rest...)
	}
	p.SetBody(body)
	return p
}

// panels are the versions' boxes, two per row when they fit side by side.
func (m *Model) panels(vs []*fleet.Version, lay layout, look *plotLookup) []string {
	if len(vs) == 0 {
		return []string{m.c.Theme.Muted.Render("no versions: neither the metrics nor the registry list one")}
	}
	var out []string
	for i := 0; i < len(vs); i += lay.cols {
		row := vs[i:min(i+lay.cols, len(vs))]
		contents := make([][]string, len(row))
		rows := 0
		for j, v := range row {
			contents[j] = m.panelContent(v, lay, look)
			rows = max(rows, len(contents[j]))
		}
		if len(row) == 1 {
			// A lone panel in a two-column layout still takes the full width.
			l := lay
			if lay.cols == 2 {
				l = computeLayout(lay.width, lay.height, 1)
				l.graphRows = lay.graphRows
				contents[0] = m.panelContent(row[0], l, look)
			}
			out = append(out, m.box(m.panelTitle(row[0]), contents[0], l.panelW, len(contents[0]))...)
			continue
		}
		left := m.box(m.panelTitle(row[0]), contents[0], lay.panelW, rows)
		right := m.box(m.panelTitle(row[1]), contents[1], lay.panelW, rows)
		out = append(out, sideBySide(left, right, lay.panelW, lay.panelW)...)
	}
	return out
}
