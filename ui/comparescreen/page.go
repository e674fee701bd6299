package comparescreen

import (
	"fmt"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/graph"
	"github.com/mltop/mltop/ui/page"
)

// pageKey is everything a page is drawn from besides the scroll position.
type pageKey struct {
	page.Key
	chosen pair
	cursor string
	marks  string
}

func (m *Model) pageKey() pageKey {
	return pageKey{Key: page.NewKey(m.c, m.width, m.height, m.hist.Range, m.hist.Serial+m.events.Serial),
		chosen: m.chosen, cursor: m.cursor, marks: strings.Join(m.marks, "\x00")}
}

// drawnPage is the page drawn for a state, and the graph width it plans
// the next history fetch for.
type drawnPage struct {
	page.Page
	key        pageKey
	fetchWidth int
}

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

func (m *Model) build() drawnPage {
	w, h := m.width, m.height
	p := drawnPage{key: m.pageKey()}
	// Before the first size, plan the fetch for a common terminal.
	p.fetchWidth = layoutGraphs(max(w, 80), max(h, 24)).points()
	if w == 0 || h == 0 {
		return p
	}
	th, g := m.c.Theme, m.c.Glyphs
	mod := m.c.FindModel(m.model)
	pr, ok := m.current()

	header := []string{m.titleLine(mod, pr, ok)}
	if mod != nil && len(mod.Versions) > 0 {
		header = append(header, stripLine(th, g, mod, pr, m.marks, m.cursorIndex(mod), w))
	}
	var body []string
	switch why := m.problem(mod, pr, ok); {
	case why != "":
		body = []string{"", "  " + th.Muted.Render(why)}
	default:
		va, vb := mod.Version(pr.a), mod.Version(pr.b)
		rows := buildRows(inputs{a: va, b: vb, model: mod, snap: m.c.Snapshot, now: m.c.Now,
			cmp: m.c.Comparisons, thresholds: m.c.Thresholds, refresh: m.c.Refresh})
		la, lb := versionLabel(pr.a), versionLabel(pr.b)
		cols := tableColumns(rows, la, lb, w)
		header = append(header, tableHead(th, cols, headOf("A", va), headOf("B", vb)))
		for _, r := range rows {
			body = append(body, rowLine(th, g, cols, r, la, lb, m.c.Now))
		}
		body = append(body, "")
		body = append(body, m.graphLines(mod, va, vb, w, h)...)
	}
	p.Page = page.New(w, h, header, page.RangeKeys(th, m.hist.Range))
	p.SetBody(body)
	return p
}

// problem says why there is nothing to compare, or "".
func (m *Model) problem(mod *fleet.Model, pr pair, ok bool) string {
	switch {
	case m.c.Snapshot == nil:
		return "waiting for the first poll…"
	case mod == nil:
		return fmt.Sprintf("no model named %q in the latest poll", termsafe.Clean(m.model))
	case !ok:
		return tooFew(mod)
	}
	return problem(mod, pr)
}

// headOf is a column's heading: A v11 stable.
func headOf(side string, v *fleet.Version) string {
	s := side + " " + versionLabel(v.Version)
	if t := termsafe.Clean(v.Track); t != "" {
		s += " " + t
	}
	return s
}

// titleLine names the model and the pair, and how the pair was chosen.
func (m *Model) titleLine(mod *fleet.Model, pr pair, ok bool) string {
	th := m.c.Theme
	s := th.Title.Render(termsafe.Clean(m.model)) + "  " + th.Muted.Render("compare")
	if ok {
		s += " " + th.Graph1.Bold(true).Render(versionLabel(pr.a)) + th.Muted.Render(" "+m.arrow()+" ") +
			th.Graph2.Bold(true).Render(versionLabel(pr.b)) + th.Muted.Render(" · "+pr.why)
	}
	if mod != nil && mod.ServingName != "" {
		s += th.Muted.Render(" · metrics as " + termsafe.Clean(mod.ServingName))
	}
	if len(m.marks) == 1 {
		s += "  " + th.Marked.Render(m.c.Glyphs.Marked+" "+versionLabel(m.marks[0])+" marked: mark one more to compare")
	}
	return s
}

// graphLines are the overlaid graphs, or why there are none.
func (m *Model) graphLines(mod *fleet.Model, va, vb *fleet.Version, w, h int) []string {
	th := m.c.Theme
	head := th.Header.Render("Graphs") + th.Muted.Render(" over "+common.RangeText(m.hist.Range))
	switch {
	case m.c.History == nil:
		return []string{head + th.Muted.Render(" · none: the metrics source cannot answer range queries")}
	case !m.hist.Have && m.hist.Err != "":
		return []string{head + " " + th.Bad.Render(m.c.Glyphs.Bad+" "+m.hist.Err)}
	case !m.hist.Have:
		return []string{head + th.Muted.Render(" · loading…")}
	case m.hist.Err != "":
		head += " " + th.Stale.Render(m.c.Glyphs.Stale+" last fetch failed: "+m.hist.Err)
	}
	// History is keyed by the label in the metrics.
	name := mod.Name
	if mod.ServingName != "" {
		name = mod.ServingName
	}
	lay := layoutGraphs(w, h)
	var blocks [][]string
	for _, spec := range graphSpecs(va, vb) {
		axis := graph.WindowAxis(m.hist.Data, m.events.Data.Events, m.c.Now.Location(), true)
		blocks = append(blocks, graphBlock(th, m.c.ASCII(), spec, m.hist.Data, name, va.Version, vb.Version, lay.width, lay.rows, axis))
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
			out = append(out, common.Fit(l, lay.width)+"  "+r)
		}
	}
	return out
}
