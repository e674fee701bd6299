package detailscreen

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func TestGolden(t *testing.T) {
	for _, model := range []string{"credit-risk", "payments-fraud", "image-tagger"} {
		for _, theme := range []string{"dark", "light"} {
			for _, sz := range uitest.Sizes {
				name := fmt.Sprintf("%s-%s-%dx%d", model, theme, sz[0], sz[1])
				t.Run(name, func(t *testing.T) {
					m, c, _ := open(t, theme, model, sz[0], sz[1])
					withHistory(m, c, 180)
					view := m.View()
					uitest.CheckSize(t, view, sz[0], sz[1])
					uitest.Golden(t, name, view)
				})
			}
		}
	}
}

// TestContent checks, in plain text, what each fixture must show.
func TestContent(t *testing.T) {
	m, c, _ := open(t, "dark", "payments-fraud", 200, 50)
	withHistory(m, c, 180)
	v := uitest.Plain(m)
	for _, want := range []string{"✖ v8 error rate 5.2% ≥ 5.0%", "owner maya", "team payments-ml", "risk HIGH",
		"champion v8", "v8 stable 100%", "p95 912ms", "err ✖ 5.2%", "auc .81 (off .88) ▼.07", "✔ Healthy",
		"delay p50 1m30s", "labelled 92.0%", "quality as of 10m ago", "git c0ffee12", "created 3d ago", "offline auc .88"} {
		if !strings.Contains(v, want) {
			t.Errorf("payments-fraud: missing %q in\n%s", want, v)
		}
	}

	m, c, _ = open(t, "dark", "credit-risk", 200, 50)
	withHistory(m, c, 180)
	v = uitest.Plain(m)
	for _, want := range []string{"champion v11 · challenger v12", "v11 stable 75%", "v12 canary 25%",
		"॥ Paused · canary · Step 2/4 · SetWeight 25 · ActualWeight 25", "stable v11", "candidate v12",
		"newest label 2d1h ago ⚠ > 2d", "┄ off .88", "─ live .87"} {
		if !strings.Contains(v, want) {
			t.Errorf("credit-risk: missing %q in\n%s", want, v)
		}
	}
	if strings.Index(v, "v11 stable") > strings.Index(v, "v12 canary") {
		t.Error("credit-risk: canary panel before stable")
	}

	m, c, _ = open(t, "dark", "image-tagger", 120, 40)
	withHistory(m, c, 180)
	v = uitest.Plain(m)
	for _, want := range []string{"mean latency", "mean latency 117ms", "no ground truth reported", "quality —", "no rollout", "offline —"} {
		if !strings.Contains(v, want) {
			t.Errorf("image-tagger: missing %q in\n%s", want, v)
		}
	}
	if strings.Contains(v, "p95") {
		t.Errorf("image-tagger has only a mean latency but the view says p95:\n%s", v)
	}
}

func TestSizes(t *testing.T) {
	widths := []int{0, 1, 2, 5, 10, 20, 33, 40, 59, 60, 79, 80, 100, 119, 120, 121, 150, 200, 250}
	heights := []int{0, 1, 2, 3, 5, 10, 24, 40, 50, 70}
	states := map[string]func(m *Model, c *common.Common){
		"history": func(m *Model, c *common.Common) { withHistory(m, c, 180) },
		"loading": func(*Model, *common.Common) {},
		"no provider": func(m *Model, c *common.Common) {
			c.History = nil
			m.Update(common.TickMsg{Now: c.Now})
		},
	}
	for _, model := range []string{"credit-risk", "payments-fraud", "image-tagger", "search-ranker", "no-such-model"} {
		for state, setup := range states {
			for _, w := range widths {
				for _, h := range heights {
					m, c, _ := open(t, "dark", model, w, h)
					setup(m, c)
					uitest.CheckSize(t, m.View(), w, h)
					m.Update(uitest.Press("end"))
					uitest.CheckSize(t, m.View(), w, h)
					if t.Failed() {
						t.Fatalf("%s, %s", model, state)
					}
				}
			}
		}
	}
}

func TestManyVersionsScroll(t *testing.T) {
	c := uitest.Common("dark")
	c.History = &uitest.Provider{}
	s := *c.Snapshot
	s.Models = append([]fleet.Model(nil), s.Models...)
	cr := &s.Models[2]
	base := cr.Versions[1]
	for i := 13; i < 18; i++ {
		v := base
		v.Version = fmt.Sprint(i)
		v.Track = fleet.TrackShadow
		cr.Versions = append(cr.Versions, v)
	}
	c.Snapshot = &s
	m := New(c, "credit-risk")
	m.SetSize(120, 40)
	m.Update(common.HistoryMsg{Model: "credit-risk", Window: uitest.History(c.Range, 120)})
	uitest.CheckSize(t, m.View(), 120, 40)
	if m.page.MaxOffset() == 0 {
		t.Fatal("seven versions fit in 40 rows without scrolling; the test needs a longer page")
	}
	m.Update(uitest.Press("G"))
	uitest.CheckSize(t, m.View(), 120, 40)
	if !strings.Contains(uitest.Plain(m), "v17") {
		t.Error("bottom of a long page does not reach the last version")
	}
}

func TestScroll(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", 80, 24)
	withHistory(m, c, 180)
	top := uitest.Plain(m)
	maxOff := m.page.MaxOffset()
	if maxOff == 0 {
		t.Fatal("credit-risk fits 80x24 without scrolling; the test needs a scrolling page")
	}
	m.Update(uitest.Press("up"))
	if uitest.Plain(m) != top {
		t.Error("up at the top moved the page")
	}
	m.Update(uitest.Press("j"))
	if m.offset != 1 || uitest.Plain(m) == top {
		t.Errorf("j: offset %d", m.offset)
	}
	m.Update(uitest.Press("k"))
	if m.offset != 0 {
		t.Errorf("k: offset %d", m.offset)
	}
	for range 100 {
		m.Update(uitest.Press("pgdown"))
	}
	if m.offset != maxOff {
		t.Errorf("pgdown past the end: offset %d, want %d", m.offset, maxOff)
	}
	lines := strings.Split(uitest.Plain(m), "\n")
	bodyLast := strings.TrimRight(lines[len(lines)-2], " ")
	want := strings.TrimRight(ansi.Strip(m.page.Body[len(m.page.Body)-1]), " ")
	if bodyLast != want || bodyLast == "" {
		t.Errorf("bottom page does not end on the last line (no blank pages): got %q want %q", bodyLast, want)
	}
	m.Update(uitest.Press("g"))
	if m.offset != 0 || uitest.Plain(m) != top {
		t.Error("g does not return to the top")
	}
	m.Update(uitest.Press("end"))
	if m.offset != maxOff {
		t.Errorf("end: offset %d", m.offset)
	}
	// Growing the screen so everything fits must not leave the page scrolled
	// past its end.
	m.SetSize(200, 70)
	if m.offset > m.page.MaxOffset() {
		t.Errorf("offset %d beyond %d after resize", m.offset, m.page.MaxOffset())
	}
	uitest.CheckSize(t, m.View(), 200, 70)
}

func TestKeysAreOnlyScrolling(t *testing.T) {
	m, _, _ := open(t, "dark", "credit-risk", 80, 24)
	var all []string
	for _, group := range m.Keys().FullHelp() {
		for _, b := range group {
			all = append(all, b.Keys()...)
		}
	}
	if len(m.Keys().ShortHelp()) == 0 || len(all) == 0 {
		t.Fatal("no key bindings")
	}
	for _, k := range all {
		switch k {
		case "esc", "1", "2", "3", "4", "R", "T", "q", "?", ":", "/":
			t.Errorf("binding %q belongs to the root or to later screens", k)
		}
	}
}

func TestTitle(t *testing.T) {
	c := uitest.Common("dark")
	if got := New(c, "credit-risk").Title(); got != "credit-risk" {
		t.Errorf("Title = %q", got)
	}
	if got := New(c, "evil\x1b]0;x\x07").Title(); strings.Contains(got, "\x1b") {
		t.Errorf("Title not cleaned: %q", got)
	}
}

func TestASCIIGlyphs(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", 120, 40)
	c.Glyphs = themes.ASCII
	withHistory(m, c, 180)
	v := uitest.Plain(m)
	for _, r := range []string{"╭", "─", "┤", "┄", "│", "┌"} {
		if strings.Contains(v, r) {
			t.Errorf("ASCII glyph set, yet the view draws %q", r)
		}
	}
	uitest.CheckSize(t, m.View(), 120, 40)
}

func TestCleansUntrustedText(t *testing.T) {
	c := uitest.Common("dark")
	c.History = &uitest.Provider{}
	s := *c.Snapshot
	s.Models = append([]fleet.Model(nil), s.Models...)
	cr := &s.Models[2]
	cr.Tags = map[string]string{"owner": "ra\x1b]0;pwned\x07vi", "team": "ri\x1b[2Jsk", "risk_tier": "high"}
	cr.Description = "Credit \x1b[31mdefault\x1b[0m scoring\x9b1;1H"
	cr.Versions = append([]fleet.Version(nil), cr.Versions...)
	lin := *cr.Versions[0].Lineage
	lin.RunName = "run\x1b]8;;http://x\x07name"
	cr.Versions[0].Lineage = &lin
	c.Snapshot = &s
	m := New(c, "credit-risk")
	m.SetSize(200, 50)
	m.Update(common.HistoryMsg{Model: "credit-risk", Window: uitest.History(c.Range, 180)})
	raw := m.View()
	for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\x1b[31m", "\x9b", "pwned"} {
		if strings.Contains(raw, bad) {
			t.Errorf("view contains %q from untrusted text", bad)
		}
	}
	v := uitest.Plain(m)
	for _, want := range []string{"owner ravi", "team risk", "Credit default scoring", `"runname"`} {
		if !strings.Contains(v, want) {
			t.Errorf("missing cleaned %q", want)
		}
	}
	uitest.CheckSize(t, raw, 200, 50)
}

func TestStaleValuesDimmedWithAge(t *testing.T) {
	c := uitest.Common("dark")
	c.History = &uitest.Provider{}
	s := *c.Snapshot
	s.Queries = []fleet.QueryStatus{{Name: "latency_p95", Role: fleet.RoleLatencyP95, OK: false, Error: "timeout",
		LastSuccess: c.Now.Add(-2 * time.Minute)}}
	c.Snapshot = &s
	m := New(c, "credit-risk")
	m.SetSize(200, 50)
	if v := uitest.Plain(m); !strings.Contains(v, "p95 44ms "+c.Glyphs.Stale+"2m") {
		t.Errorf("stale latency not marked with its age:\n%s", v)
	}
	raw := m.View()
	if !strings.Contains(raw, c.Theme.Stale.Render("44ms "+c.Glyphs.Stale+"2m")) {
		t.Error("stale latency not drawn in the stale style")
	}
}

func TestHistoryErrorSaidInPlainWords(t *testing.T) {
	m, c, p := open(t, "dark", "credit-risk", 120, 40)
	p.Fail(errors.New("range query refused: 503 Service Unavailable"))
	cmd := m.Init()
	if cmd == nil {
		t.Fatal("Init with a provider returns no fetch")
	}
	m.Update(cmd())
	v := uitest.Plain(m)
	if !strings.Contains(v, "no history: range query refused: 503") {
		t.Errorf("history error not shown:\n%s", v)
	}
	if !strings.Contains(v, "40.3 req/s") {
		t.Error("current values missing when history failed")
	}
	// With data held, a later failure keeps the graphs and says so.
	p.Fail(nil)
	withHistory(m, c, 180)
	m.Update(common.HistoryMsg{Model: "credit-risk", Err: errors.New("timeout")})
	v = uitest.Plain(m)
	if !strings.Contains(v, "history refresh failed") || !strings.Contains(v, "┤") {
		t.Errorf("failed refresh over held data:\n%s", v)
	}
}
