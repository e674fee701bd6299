// Package page draws a screen as fixed header lines over a body that
// scrolls and a footer line, cut to exactly the screen's size, and moves
// the scroll position with the scroll keys and the mouse wheel. The
// detail, drift and compare screens are pages.
package page

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// Page is a drawn screen minus its scroll position: every line exactly
// Width cells, and the footer's left part.
type Page struct {
	Width, Height int
	Header        []string // fixed lines
	Body          []string // lines that scroll
	BodyHeight    int      // rows the body shows at once
	Footer        string   // the footer's left part; the scroll position goes right
}

// New starts a w×h page under header, which keeps at most h-1 lines (the
// last row is the footer's), each cut to exactly w cells.
func New(w, h int, header []string, footer string) Page {
	if len(header) > max(h-1, 1) {
		header = header[:max(h-1, 1)]
	}
	for i := range header {
		header[i] = common.Fit(header[i], w)
	}
	return Page{Width: w, Height: h, Header: header, BodyHeight: max(h-len(header)-1, 0), Footer: footer}
}

// SetBody sets the lines that scroll, each cut to exactly the width.
func (p *Page) SetBody(body []string) {
	for i := range body {
		body[i] = common.Fit(body[i], p.Width)
	}
	p.Body = body
}

// MaxOffset is the furthest the body scrolls.
func (p Page) MaxOffset() int { return max(len(p.Body)-p.BodyHeight, 0) }

// Clamp keeps a scroll offset within the body.
func (p Page) Clamp(offset int) int { return min(max(offset, 0), p.MaxOffset()) }

// Render draws the page scrolled to offset: exactly Width×Height cells,
// the footer last.
func (p Page) Render(th *themes.Theme, offset int) string {
	if p.Width == 0 || p.Height == 0 || len(p.Header) == 0 {
		return ""
	}
	if p.Height == 1 {
		return p.Header[0]
	}
	offset = p.Clamp(offset)
	end := min(offset+p.BodyHeight, len(p.Body))
	size := (p.Height + 1) * (p.Width + 1) // blank lines, footer
	for _, l := range p.Header {
		size += len(l) + 1
	}
	for _, l := range p.Body[min(offset, end):end] {
		size += len(l) + 1
	}
	var b strings.Builder
	b.Grow(size + len(p.Footer))
	for _, l := range p.Header {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	n := len(p.Header)
	for i := offset; i < end; i++ {
		b.WriteString(p.Body[i])
		b.WriteByte('\n')
		n++
	}
	for ; n < p.Height-1; n++ {
		b.WriteString(strings.Repeat(" ", p.Width))
		b.WriteByte('\n')
	}
	b.WriteString(p.footer(th, offset))
	return b.String()
}

// footer is the footer's left part and, when the body scrolls, where the
// view is: "↑↓ 12–30/48".
func (p Page) footer(th *themes.Theme, offset int) string {
	left := p.Footer
	if len(p.Body) <= p.BodyHeight {
		return common.Fit(left, p.Width)
	}
	arrows := ""
	if offset > 0 {
		arrows += "↑"
	}
	if offset < p.MaxOffset() {
		arrows += "↓"
	}
	right := th.Muted.Render(arrows + " " + strconv.Itoa(offset+1) + "–" + strconv.Itoa(min(offset+p.BodyHeight, len(p.Body))) +
		"/" + strconv.Itoa(len(p.Body)))
	gap := p.Width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return common.Fit(left, p.Width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// RangeKeys is the footer of screens with graphs: the range shown and the
// keys that choose another.
func RangeKeys(th *themes.Theme, rng time.Duration) string {
	var b strings.Builder
	b.WriteString(th.Header.Render("Range ") + th.Bold.Render(common.RangeText(rng)) + " ")
	for i, r := range common.Ranges {
		k := "[" + strconv.Itoa(i+1) + "]" + common.RangeText(r)
		if r == rng {
			b.WriteString(" " + th.Key.Render(k))
		} else {
			b.WriteString(" " + th.KeyDesc.Render(k))
		}
	}
	return b.String()
}
