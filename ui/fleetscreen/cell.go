package fleetscreen

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// seg is a run of text in one tone.
type seg struct {
	s string
	t tone
}

// cell is what one column shows on one line: a few toned runs, aligned.
// A fixed array keeps building cells free of allocations.
type cell struct {
	segs  [16]seg // a rollout: phase, step, bar, weight, then its analysis counts
	n     int
	right bool
}

func (c *cell) add(s string, t tone) {
	if s == "" || c.n == len(c.segs) {
		return
	}
	c.segs[c.n] = seg{s, t}
	c.n++
}

func (c cell) width() int {
	w := 0
	for i := 0; i < c.n; i++ {
		w += textWidth(c.segs[i].s)
	}
	return w
}

func textCell(s string, t tone) cell {
	var c cell
	c.add(s, t)
	return c
}

// draw writes c into exactly w cells: cut with … when too long, padded
// when short. A stale cell draws every run dimmed.
func (p *paints) draw(b *strings.Builder, c *cell, w int, sel, stale bool) {
	if w <= 0 {
		return
	}
	var widths [len(c.segs)]int
	total := 0
	for i := 0; i < c.n; i++ {
		widths[i] = textWidth(c.segs[i].s)
		total += widths[i]
	}
	n := c.n
	var cut seg
	if total > w {
		left := w
		for i := 0; i < c.n; i++ {
			if widths[i] > left {
				cut = seg{ansi.Truncate(c.segs[i].s, left, "…"), c.segs[i].t}
				n = i
				break
			}
			left -= widths[i]
		}
		total = w - left + textWidth(cut.s)
	}
	pad := w - total
	if c.right {
		p.spaces(b, pad, sel)
	}
	for i := 0; i < n; i++ {
		p.paint(b, toneOf(c.segs[i].t, stale), sel, c.segs[i].s)
	}
	if cut.s != "" {
		p.paint(b, toneOf(cut.t, stale), sel, cut.s)
	}
	if !c.right {
		p.spaces(b, pad, sel)
	}
}

func toneOf(t tone, stale bool) tone {
	if stale && t != toneNone {
		return toneStale
	}
	return t
}
