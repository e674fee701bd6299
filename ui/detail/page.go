package detail

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// pageKey is everything a page is drawn from besides the scroll position:
// when it changes the page is stale.
type pageKey struct {
	now, taken int64
	snap       *fleet.Snapshot
	theme      *themes.Theme
	glyphs     string
	rng        time.Duration
	w, h       int
	serial     int
	thresholds fleet.Thresholds
	provider   bool
}

func (m *Model) pageKey() pageKey {
	k := pageKey{now: m.c.Now.UnixNano(), snap: m.c.Snapshot, theme: m.c.Theme, glyphs: m.c.Glyphs.OK + m.c.Glyphs.Stale,
		rng: m.rng, w: m.width, h: m.height, serial: m.serial, thresholds: m.c.Thresholds, provider: hasProvider(m.c.History)}
	if m.c.Snapshot != nil {
		k.taken = m.c.Snapshot.TakenAt.UnixNano()
	}
	return k
}

// page is the drawn screen minus the scroll position and footer: fixed
// header lines and the scrollable body, every line exactly width cells.
type page struct {
	key           pageKey
	width, height int
	header        []string
	body          []string
	bodyHeight    int
	fetchWidth    int
	rangeKeys     string // the footer's left part, drawn once per page
}

func (p page) maxOffset() int { return max(len(p.body)-p.bodyHeight, 0) }

func (m *Model) ascii() bool { return m.c.Glyphs.BarFull == themes.ASCII.BarFull }

func (m *Model) findModel() *fleet.Model {
	if m.c.Snapshot == nil {
		return nil
	}
	for i := range m.c.Snapshot.Models {
		if m.c.Snapshot.Models[i].Name == m.model {
			return &m.c.Snapshot.Models[i]
		}
	}
	return nil
}

// build draws the page. With store it keeps the plots it used as the new
// cache; without, it only reads the cache (View's path).
func (m *Model) build(store bool) page {
	w, h := m.width, m.height
	p := page{key: m.pageKey(), width: w, height: h}
	mod := m.findModel()
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
	p.header = m.headerLines(mod, w, headerMax)
	if len(p.header) > max(h-1, 1) {
		p.header = p.header[:max(h-1, 1)]
	}
	p.bodyHeight = max(h-len(p.header)-1, 0)

	var body []string
	body = append(body, m.introLines(mod, w)...)
	if mod != nil {
		lay := computeLayout(w, h, len(vs))
		var rest []string
		rest = append(rest, m.rolloutLines(mod, w)...)
		rest = append(rest, m.labelLines(vs, w)...)
		rest = append(rest, m.lineageLines(vs, w)...)
		lay.fitGraphRows(p.bodyHeight, len(body)+len(rest), len(vs), 4)

		want := plotCacheKey{serial: m.serial, theme: m.c.Theme, ascii: m.ascii()}
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
		body = append(body, rest...)
	}
	for i := range body {
		body[i] = fit(body[i], w)
	}
	for i := range p.header {
		p.header[i] = fit(p.header[i], w)
	}
	p.body = body
	p.rangeKeys = rangeKeys(m.c.Theme, m.rng)
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

// render draws the page at a scroll offset, with the footer: the range
// keys and, when the body scrolls, where the view is.
func (p page) render(th *themes.Theme, offset int) string {
	if p.width == 0 || p.height == 0 || len(p.header) == 0 {
		return ""
	}
	if p.height == 1 {
		return p.header[0]
	}
	end := min(offset+p.bodyHeight, len(p.body))
	size := (p.height + 1) * (p.width + 1) // blank lines, footer
	for _, l := range p.header {
		size += len(l) + 1
	}
	for _, l := range p.body[min(offset, end):end] {
		size += len(l) + 1
	}
	var b strings.Builder
	b.Grow(size + len(p.rangeKeys))
	for _, l := range p.header {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	n := len(p.header)
	for i := offset; i < end; i++ {
		b.WriteString(p.body[i])
		b.WriteByte('\n')
		n++
	}
	for ; n < p.height-1; n++ {
		b.WriteString(strings.Repeat(" ", p.width))
		b.WriteByte('\n')
	}
	b.WriteString(p.footer(th, offset))
	return b.String()
}

func rangeKeys(th *themes.Theme, rng time.Duration) string {
	var b strings.Builder
	b.WriteString(th.Header.Render("Range ") + th.Bold.Render(rangeText(rng)) + " ")
	for i, r := range common.Ranges {
		k := "[" + strconv.Itoa(i+1) + "]"
		if r == rng {
			b.WriteString(" " + th.Key.Render(k+rangeText(r)))
		} else {
			b.WriteString(" " + th.KeyDesc.Render(k+rangeText(r)))
		}
	}
	return b.String()
}

func (p page) footer(th *themes.Theme, offset int) string {
	left := p.rangeKeys
	if len(p.body) <= p.bodyHeight {
		return fit(left, p.width)
	}
	arrows := ""
	if offset > 0 {
		arrows += "↑"
	}
	if offset < p.maxOffset() {
		arrows += "↓"
	}
	right := th.Muted.Render(arrows + " " + strconv.Itoa(offset+1) + "–" + strconv.Itoa(min(offset+p.bodyHeight, len(p.body))) +
		"/" + strconv.Itoa(len(p.body)))
	gap := p.width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return fit(left, p.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// rangeText names a range the way the range keys do: 15m, 1h, 24h.
func rangeText(r time.Duration) string {
	if r >= time.Hour && r%time.Hour == 0 {
		return fmt.Sprintf("%dh", r/time.Hour)
	}
	return human.Duration(r)
}
