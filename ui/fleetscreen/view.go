package fleetscreen

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
)

// View draws exactly height lines of exactly width cells. It reads state
// only: rows were sorted and filtered in Update, and only the lines in
// view are drawn.
func (m *Model) View() string { return m.cachedView(m.draw) }

func (m *Model) draw() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	p := m.paints
	if p == nil || p.theme != m.c.Theme {
		p = newPaints(m.c.Theme)
	}
	var b strings.Builder
	b.Grow(m.width * m.height * 4)
	switch {
	case m.snap == nil:
		m.message(&b, p, []string{"waiting for the first poll…"})
		return b.String()
	case len(m.entries) == 0:
		m.message(&b, p, m.noModels())
		return b.String()
	}
	n := 0
	if m.infoLine {
		m.infoText(&b, p, m.width)
		n++
	}
	if n < m.height {
		if n > 0 {
			b.WriteByte('\n')
		}
		m.headerLine(&b, p)
		n++
	}
	if len(m.view) == 0 {
		msg := fmt.Sprintf("no model matches %s (%d models hidden)", termsafe.Clean(m.flt.query), len(m.entries))
		at := m.headLines + max(0, (m.height-m.headLines-1)/2)
		for ; n < m.height; n++ {
			b.WriteByte('\n')
			if n == at {
				centred(&b, p, msg, m.width)
			} else {
				p.spaces(&b, m.width, false)
			}
		}
		return b.String()
	}
	for r := m.offset; n < m.height; r, n = r+1, n+1 {
		b.WriteByte('\n')
		if r >= len(m.rows) {
			p.spaces(&b, m.width, false)
			continue
		}
		m.rowLine(&b, p, m.rows[r])
	}
	return b.String()
}

// infoText draws the filter summary in w cells.
func (m *Model) infoText(b *strings.Builder, p *paints, w int) {
	c := textCell(m.info, toneTitle)
	p.draw(b, &c, w, false, false)
}

func (m *Model) headerLine(b *strings.Builder, p *paints) {
	p.spaces(b, gutterWidth, false)
	used := gutterWidth
	for i := range m.cols {
		col := &m.cols[i]
		if i > 0 {
			p.spaces(b, col.x-used, false)
		}
		p.draw(b, &col.head, col.w, false, false)
		used = col.x + col.w
	}
	rest := m.width - used
	if m.info != "" && !m.infoLine {
		iw := textWidth(m.info)
		p.spaces(b, rest-iw, false)
		m.infoText(b, p, iw)
		return
	}
	p.spaces(b, rest, false)
}

// rowLine draws one table line. The selected model's lines carry a marker
// in the gutter as well as the selection colour, so selection does not
// rely on colour either.
func (m *Model) rowLine(b *strings.Builder, p *paints, r row) {
	e := &m.entries[m.view[r.e]]
	l := line{e: e, first: r.v <= 0}
	if r.v >= 0 {
		l.v = &e.m.Versions[e.versions[r.v]]
	}
	sel := r.e == m.sel
	if sel {
		mark := "▌"
		if len(m.c.Glyphs.BarFull) == 1 {
			mark = ">"
		}
		p.paint(b, toneTitle, true, mark)
	} else {
		p.spaces(b, gutterWidth, false)
	}
	used := gutterWidth
	for i := range m.cols {
		col := &m.cols[i]
		if i > 0 {
			p.spaces(b, col.x-used, sel)
		}
		if l.v == nil && !fleetColumns[col.id].registry {
			// A model that does not serve has no metrics: one span says so.
			c := registryCell(e, m.c.Glyphs)
			w := m.width - col.x
			p.draw(b, &c, w, sel, false)
			return
		}
		c := m.cellFor(col.id, col.w, l)
		p.draw(b, &c, col.w, sel, l.v != nil && (m.cellStale(e, col.id) || versionStale(l.v, &fleetColumns[col.id])))
		used = col.x + col.w
	}
	p.spaces(b, m.width-used, sel)
}

func registryCell(e *entry, g themes.Glyphs) cell {
	c := textCell("not serving", toneMuted)
	// A rollout seen only through its controller's metrics still has a
	// phase worth seeing: the span would hide the ROLLOUT column.
	if r := e.m.Rollout; r != nil && r.Phase != "" {
		icon, tn := phaseIcon(r.Phase, g)
		if icon != "" {
			icon += " "
		}
		c.add(" · rollout ", toneMuted)
		c.add(icon+termsafe.Clean(r.Phase), tn)
		if counts, ok := countAnalysis(r); ok {
			addAnalysis(&c, counts, g)
		}
	}
	if d := termsafe.Clean(e.m.Description); d != "" {
		c.add(" · "+d, toneSubtle)
	}
	return c
}

// noModels explains an empty fleet: which sources answered and how.
func (m *Model) noModels() []string {
	waiting := true
	for _, s := range m.snap.Sources {
		if !s.LastSuccess.IsZero() {
			waiting = false
		}
	}
	lines := []string{"no models found"}
	if waiting {
		lines[0] = "waiting for the first poll…"
	}
	for _, s := range m.snap.Sources {
		st := m.c.Glyphs.OK + " " + termsafe.Clean(s.Name)
		if !s.OK {
			st = m.c.Glyphs.Bad + " " + termsafe.Clean(s.Name)
			if s.Error != "" {
				st += ": " + termsafe.Clean(s.Error)
			}
		}
		lines = append(lines, st)
	}
	return lines
}

// message centres lines in the whole area.
func (m *Model) message(b *strings.Builder, p *paints, lines []string) {
	top := max(0, (m.height-len(lines))/2)
	for n := 0; n < m.height; n++ {
		if n > 0 {
			b.WriteByte('\n')
		}
		if k := n - top; k >= 0 && k < len(lines) {
			centred(b, p, lines[k], m.width)
			continue
		}
		p.spaces(b, m.width, false)
	}
}

// centred draws s in the middle of w cells, cut with … when too long.
func centred(b *strings.Builder, p *paints, s string, w int) {
	s = ansi.Truncate(s, w, "…")
	sw := textWidth(s)
	left := (w - sw) / 2
	p.spaces(b, left, false)
	p.paint(b, toneMuted, false, s)
	p.spaces(b, w-left-sw, false)
}
