package compare

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

// pageKey is everything a page is drawn from besides the scroll position.
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
	chosen     pair
	cursor     string
	marks      string
}

func (m *Model) pageKey() pageKey {
	k := pageKey{now: m.c.Now.UnixNano(), snap: m.c.Snapshot, theme: m.c.Theme, glyphs: m.c.Glyphs.OK + m.c.Glyphs.BarFull,
		rng: m.rng, w: m.width, h: m.height, serial: m.serial, thresholds: m.c.Thresholds, provider: hasProvider(m.c.History),
		chosen: m.chosen, cursor: m.cursor, marks: strings.Join(m.marks, "\x00")}
	if m.c.Snapshot != nil {
		k.taken = m.c.Snapshot.TakenAt.UnixNano()
	}
	return k
}

// page is the drawn screen minus the scroll position: fixed header lines
// and the scrollable body, every line exactly width cells.
type page struct {
	key           pageKey
	width, height int
	header        []string
	body          []string
	bodyHeight    int
	fetchWidth    int
	rangeKeys     string
}

func (p page) maxOffset() int { return max(len(p.body)-p.bodyHeight, 0) }

// graphLayout is how the graphs sit: one or two per line, their size.
type graphLayout struct {
	cols, width, rows int
}

func layoutGraphs(w, h int) graphLayout {
	g := graphLayout{cols: 1, width: w, rows: 5}
	if w >= 110 {
		g.cols, g.width = 2, (w-2)/2
	}
	switch {
	case h >= 45:
		g.rows = 8
	case h >= 30:
		g.rows = 6
	}
	return g
}

// points is how many history points fill a graph of this width.
func (g graphLayout) points() int { return max(g.width-9, 10) }

func (m *Model) build() page {
	w, h := m.width, m.height
	p := page{key: m.pageKey(), width: w, height: h}
	// Before the first size, plan the fetch for a common terminal.
	p.fetchWidth = layoutGraphs(max(w, 80), max(h, 24)).points()
	if w == 0 || h == 0 {
		return p
	}
	th, g := m.c.Theme, m.c.Glyphs
	mod := m.findModel()
	pr, ok := m.current()

	p.header = []string{m.titleLine(mod, pr, ok)}
	if mod != nil && len(mod.Versions) > 0 {
		p.header = append(p.header, stripLine(th, g, mod, pr, m.marks, m.cursorIndex(mod), w))
	}
	var body []string
	switch why := m.problem(mod, pr, ok); {
	case why != "":
		body = []string{"", "  " + th.Muted.Render(why)}
	default:
		va, vb := mod.Version(pr.a), mod.Version(pr.b)
		rows := buildRows(inputs{a: va, b: vb, snap: m.c.Snapshot, now: m.c.Now, thresh: m.c.Thresholds})
		la, lb := versionLabel(pr.a), versionLabel(pr.b)
		cols := tableColumns(rows, la, lb, w)
		p.header = append(p.header, tableHead(th, cols, headOf("A", va), headOf("B", vb)))
		for _, r := range rows {
			body = append(body, rowLine(th, g, cols, r, la, lb, m.c.Now))
		}
		body = append(body, "")
		body = append(body, m.graphLines(mod, va, vb, w, h)...)
	}
	if len(p.header) > max(h-1, 1) {
		p.header = p.header[:max(h-1, 1)]
	}
	for i := range p.header {
		p.header[i] = pad(p.header[i], w)
	}
	for i := range body {
		body[i] = pad(body[i], w)
	}
	p.body = body
	p.bodyHeight = max(h-len(p.header)-1, 0)
	p.rangeKeys = rangeKeys(th, m.rng)
	return p
}

// problem says why there is nothing to compare, or "".
func (m *Model) problem(mod *fleet.Model, pr pair, ok bool) string {
	switch {
	case m.c.Snapshot == nil:
		return "waiting for the first poll…"
	case mod == nil:
		return fmt.Sprintf("no model named %q in the latest poll", human.Clean(m.model))
	case !ok:
		return tooFew(mod)
	}
	return problem(mod, pr)
}

// headOf is a column's heading: A v11 stable.
func headOf(side string, v *fleet.Version) string {
	s := side + " " + versionLabel(v.Version)
	if t := human.Clean(v.Track); t != "" {
		s += " " + t
	}
	return s
}

// titleLine names the model and the pair, and how the pair was chosen.
func (m *Model) titleLine(mod *fleet.Model, pr pair, ok bool) string {
	th := m.c.Theme
	s := th.Title.Render(human.Clean(m.model)) + "  " + th.Muted.Render("compare")
	if ok {
		s += " " + th.Graph1.Bold(true).Render(versionLabel(pr.a)) + th.Muted.Render(" "+m.arrow()+" ") +
			th.Graph2.Bold(true).Render(versionLabel(pr.b)) + th.Muted.Render(" · "+pr.why)
	}
	if mod != nil && mod.ServingName != "" {
		s += th.Muted.Render(" · metrics as " + human.Clean(mod.ServingName))
	}
	if len(m.marks) == 1 {
		s += "  " + th.Marked.Render(m.c.Glyphs.Marked+" "+versionLabel(m.marks[0])+" marked: mark one more to compare")
	}
	return s
}

// graphLines are the overlaid graphs, or why there are none.
func (m *Model) graphLines(mod *fleet.Model, va, vb *fleet.Version, w, h int) []string {
	th := m.c.Theme
	head := th.Header.Render("Graphs") + th.Muted.Render(" over "+rangeText(m.rng))
	switch {
	case !hasProvider(m.c.History):
		return []string{head + th.Muted.Render(" · none: the metrics source cannot answer range queries")}
	case !m.haveWin && m.histErr != "":
		return []string{head + " " + th.Bad.Render(m.c.Glyphs.Bad+" "+m.histErr)}
	case !m.haveWin:
		return []string{head + th.Muted.Render(" · loading…")}
	case m.histErr != "":
		head += " " + th.Stale.Render(m.c.Glyphs.Stale+" last fetch failed: "+m.histErr)
	}
	// History is keyed by the label in the metrics.
	name := mod.Name
	if mod.ServingName != "" {
		name = mod.ServingName
	}
	lay := layoutGraphs(w, h)
	var blocks [][]string
	for _, spec := range graphSpecs(va, vb) {
		blocks = append(blocks, graphBlock(th, m.ascii(), spec, m.win, name, va.Version, vb.Version, lay.width, lay.rows))
	}
	out := []string{head}
	for i := 0; i < len(blocks); i += lay.cols {
		if i > 0 {
			out = append(out, "")
		}
		if lay.cols == 1 || i+1 >= len(blocks) {
			out = append(out, blocks[i]...)
			continue
		}
		left, right := blocks[i], blocks[i+1]
		for k := 0; k < max(len(left), len(right)); k++ {
			l, r := "", ""
			if k < len(left) {
				l = left[k]
			}
			if k < len(right) {
				r = right[k]
			}
			out = append(out, pad(l, lay.width)+"  "+r)
		}
	}
	return out
}

// render draws the page at a scroll offset, with the footer.
func (p page) render(th *themes.Theme, offset int) string {
	if p.width == 0 || p.height == 0 || len(p.header) == 0 {
		return ""
	}
	if p.height == 1 {
		return p.header[0]
	}
	end := min(offset+p.bodyHeight, len(p.body))
	var b strings.Builder
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
	blank := strings.Repeat(" ", p.width)
	for ; n < p.height-1; n++ {
		b.WriteString(blank)
		b.WriteByte('\n')
	}
	b.WriteString(p.footer(th, offset))
	return b.String()
}

func (p page) footer(th *themes.Theme, offset int) string {
	left := p.rangeKeys
	if len(p.body) <= p.bodyHeight {
		return pad(left, p.width)
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
		return pad(left, p.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

func rangeKeys(th *themes.Theme, rng time.Duration) string {
	var b strings.Builder
	b.WriteString(th.Header.Render("Range ") + th.Bold.Render(rangeText(rng)) + " ")
	for i, r := range common.Ranges {
		k := "[" + strconv.Itoa(i+1) + "]" + rangeText(r)
		if r == rng {
			b.WriteString(" " + th.Key.Render(k))
		} else {
			b.WriteString(" " + th.KeyDesc.Render(k))
		}
	}
	return b.String()
}

// rangeText names a range the way the range keys do: 15m, 1h, 24h.
func rangeText(r time.Duration) string {
	if r >= time.Hour && r%time.Hour == 0 {
		return fmt.Sprintf("%dh", r/time.Hour)
	}
	return human.Duration(r)
}
