package page

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/ui/uitest"
)

func lines(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s %d", prefix, i+1)
	}
	return out
}

func build(w, h, header, body int) Page {
	th := uitest.Common("dark").Theme
	p := New(w, h, lines("head", header), RangeKeys(th, time.Hour))
	p.SetBody(lines("body", body))
	return p
}

func TestRenderIsExactlyTheSize(t *testing.T) {
	th := uitest.Common("dark").Theme
	for _, sz := range [][2]int{{1, 1}, {5, 2}, {20, 3}, {80, 24}, {200, 50}} {
		for _, body := range []int{0, 3, 100} {
			p := build(sz[0], sz[1], 3, body)
			for _, off := range []int{-5, 0, 2, 1000} {
				uitest.CheckSize(t, p.Render(th, off), sz[0], sz[1])
			}
		}
	}
	if got := (Page{}).Render(th, 0); got != "" {
		t.Errorf("an empty page draws %q", got)
	}
}

func TestHeaderLeavesTheFooterRow(t *testing.T) {
	p := build(40, 4, 6, 10)
	if len(p.Header) != 3 || p.BodyHeight != 0 {
		t.Fatalf("4 rows: %d header lines, body %d; want 3 and 0", len(p.Header), p.BodyHeight)
	}
	p = build(40, 10, 2, 10)
	if p.BodyHeight != 7 || p.MaxOffset() != 3 {
		t.Fatalf("body %d rows, max offset %d; want 7 and 3", p.BodyHeight, p.MaxOffset())
	}
}

func TestFooterSaysWhereTheViewIs(t *testing.T) {
	th := uitest.Common("dark").Theme
	p := build(80, 10, 2, 20)
	last := func(off int) string {
		v := ansi.Strip(p.Render(th, off))
		return v[strings.LastIndex(v, "\n")+1:]
	}
	if got := last(0); !strings.HasPrefix(got, "Range 1h") || !strings.HasSuffix(got, "↓ 1–7/20") {
		t.Errorf("top: %q", got)
	}
	if got := last(5); !strings.HasSuffix(got, "↑↓ 6–12/20") {
		t.Errorf("middle: %q", got)
	}
	if got := last(99); !strings.HasSuffix(got, "↑ 14–20/20") {
		t.Errorf("bottom: %q", got)
	}
	short := build(80, 10, 2, 3)
	if got := ansi.Strip(short.Render(th, 0)); strings.Contains(got, "1–3") {
		t.Errorf("a body that fits shows a position:\n%s", got)
	}
}

func TestScroll(t *testing.T) {
	p := build(40, 10, 2, 20) // body 7 rows, max offset 13
	k := NewKeys()
	wheel := func(b tea.MouseButton) tea.Msg { return tea.MouseWheelMsg{Button: b} }
	for _, tc := range []struct {
		from int
		msg  tea.Msg
		want int
	}{
		{0, uitest.Press("down"), 1},
		{0, uitest.Press("j"), 1},
		{0, uitest.Press("up"), 0},
		{5, uitest.Press("k"), 4},
		{0, uitest.Press("pgdown"), 6},
		{10, uitest.Press("pgdown"), 13},
		{10, uitest.Press("pgup"), 4},
		{7, uitest.Press("home"), 0},
		{0, uitest.Press("G"), 13},
		{0, wheel(tea.MouseWheelDown), 3},
		{2, wheel(tea.MouseWheelUp), 0},
		{4, uitest.Press("x"), 4},
		{4, wheel(tea.MouseLeft), 4},
	} {
		if got := p.Scroll(tc.from, tc.msg, k); got != tc.want {
			t.Errorf("from %d, %v: offset %d, want %d", tc.from, tc.msg, got, tc.want)
		}
	}
}

func TestKeyChangesWithWhatAPageIsDrawnFrom(t *testing.T) {
	c := uitest.Common("dark")
	key := func() Key { return NewKey(c, 80, 24, time.Hour, 1) }
	k := key()
	if key() != k {
		t.Fatal("the same state gives another key")
	}
	for name, change := range map[string]func(){
		"clock":    func() { c.Now = c.Now.Add(time.Second) },
		"glyphs":   func() { c.Glyphs.BarFull = "#" },
		"theme":    func() { c.Theme = uitest.Common("light").Theme },
		"provider": func() { c.History = &uitest.Provider{} },
	} {
		before := key()
		change()
		if key() == before {
			t.Errorf("%s: the key did not change", name)
		}
	}
	before := key()
	c.History = nil
	if key() == before {
		t.Error("losing the provider did not change the key")
	}
	if NewKey(c, 80, 24, time.Hour, 2) == NewKey(c, 80, 24, time.Hour, 1) ||
		NewKey(c, 81, 24, time.Hour, 1) == NewKey(c, 80, 24, time.Hour, 1) ||
		NewKey(c, 80, 24, 6*time.Hour, 1) == NewKey(c, 80, 24, time.Hour, 1) {
		t.Error("serial, size or range do not change the key")
	}
}
