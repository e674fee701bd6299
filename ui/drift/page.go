package drift

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
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
	provider   bool
}

func (m *Model) pageKey() pageKey {
	k := pageKey{now: m.c.Now.UnixNano(), snap: m.c.Snapshot, theme: m.c.Theme, glyphs: m.c.Glyphs.OK + m.c.Glyphs.BarFull,
		rng: m.rng, w: m.width, h: m.height, serial: m.serial, provider: hasProvider(m.c.DriftHistory)}
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
	rangeKeys     string
}

func (p page) maxOffset() int { return max(len(p.body)-p.bodyHeight, 0) }

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

func (m *Model) painter() painter {
	stale, _ := m.staleness()
	return painter{th: m.c.Theme, g: m.c.Glyphs, ascii: m.c.Glyphs.BarFull == themes.ASCII.BarFull, stale: stale, rng: m.rng}
}

// build draws the page.
func (m *Model) build() page {
	w, h := m.width, m.height
	p := page{key: m.pageKey(), width: w, height: h}
	if w == 0 || h == 0 {
		return p
	}
	mod := m.findModel()
	var hist *fleet.DriftHistory
	if m.haveHist {
		hist = &m.hist
	}
	var vvs []versionView
	if mod != nil {
		vvs = views(mod, hist)
	}
	pt := m.painter()
	p.header = m.headerLines(mod, vvs, pt)
	if len(p.header) > max(h-1, 1) {
		p.header = p.header[:max(h-1, 1)]
	}
	p.bodyHeight = max(h-len(p.header)-1, 0)
	body := m.bodyLines(mod, vvs, pt, hist)
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
	var b strings.Builder
	b.Grow((p.height + 1) * (p.width + 16))
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
