package comparescreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/ui/uitest"
)

func TestGolden(t *testing.T) {
	for _, model := range []string{"credit-risk", "search-ranker"} {
		for _, theme := range []string{"dark", "light"} {
			for _, sz := range uitest.Sizes {
				name := fmt.Sprintf("%s-%s-%dx%d", model, theme, sz[0], sz[1])
				t.Run(name, func(t *testing.T) {
					m, c, _ := open(t, theme, model, "", "", sz[0], sz[1])
					withHistory(m, c, 180)
					view := m.View()
					uitest.CheckSize(t, view, sz[0], sz[1])
					uitest.Golden(t, name, view)
				})
			}
		}
	}
}

// TestContent checks, in plain text, what the goldens must show.
func TestContent(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", "", "", 200, 50)
	withHistory(m, c, 180)
	v := uitest.Plain(m)
	for _, want := range []string{
		"credit-risk  compare v11 ↔ v12 · champion vs challenger",
		"[A] v11 stable champion", "[B] v12 canary challenger",
		"A v11 stable", "B v12 canary", "Δ B−A", "better",
		"Offline (training run)", "Live quality", "Serving", "Drift", "Labels", "Lineage",
		"latency p95", "error ratio", "request rate", "traffic weight", "income psi",
		"labelled", "newest label age", "label delay p50",
		"train-11 (", "train-set@d1g11", "train-set@d1g12", "differs", "c0ffee12", "same", "3d ago by ci",
		"Graphs over 1h", "request rate  v11 ─  v12 ─", "latency p95  v11 ─  v12 ─", "error ratio  v11 ─  v12 ─", "auc (live)  v11 ─  v12 ─",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("credit-risk: missing %q in\n%s", want, v)
		}
	}
	lines := map[string]string{}
	for _, l := range strings.Split(v, "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if _, seen := lines[f[0]]; !seen {
			lines[f[0]] = strings.Join(f, " ")
		}
	}
	for first, want := range map[string]string{
		"auc": "auc .88 .91 ▲ +.03 v12", // offline comes first, higher is better
		// The verdict comes first: with an hour of requests neither the
		// error rate nor the latency differs significantly.
		"latency": "latency (p95) 44ms 47ms ≈ +3ms ≈",
		"error":   "error rate 0.5% 0.4% ≈ -0.10pp ≈",
		"Verdict": "Verdict B vs A over 1h ✔ pass",
		"request": "request rate 40.3/s 13.4/s -26.9/s",
		"traffic": "traffic weight 75% 25% -50pp",
		"income":  "income psi .03 .02 ▲ -.01 v12",
		"newest":  "newest label age 2d1h ⚠ 2d1h ⚠ ≈ 0 ≈",
	} {
		if got := lines[first]; got != want {
			t.Errorf("row %q = %q, want %q", first, got, want)
		}
	}
	// The serving rows show the rate window's figures without a winner:
	// a fixed noise band that ignores the sample size no longer decides.
	for label, want := range map[string]string{
		"latency p95": "latency p95 44ms 47ms +3ms",
		"error ratio": "error ratio 0.5% 0.4% -0.1pp",
	} {
		if got := strings.Join(strings.Fields(rowOf(v, label)), " "); got != want {
			t.Errorf("row %q = %q, want %q", label, got, want)
		}
	}
	if got := m.Title(); got != "compare v11 ↔ v12" {
		t.Errorf("title = %q", got)
	}

	m, c, _ = open(t, "light", "search-ranker", "", "", 120, 40)
	withHistory(m, c, 180)
	v = uitest.Plain(m)
	for _, want := range []string{"A v21 stable", "B v22 shadow", "ndcg", "no drift scores for either version"} {
		if !strings.Contains(v, want) {
			t.Errorf("search-ranker: missing %q in\n%s", want, v)
		}
	}
}

func TestEverySizeFits(t *testing.T) {
	sizes := [][2]int{{0, 0}, {1, 1}, {10, 3}, {20, 2}, {40, 10}, {60, 20}, {80, 24}, {81, 25}, {100, 30}, {109, 35}, {110, 35}, {120, 40}, {160, 45}, {200, 50}, {300, 80}}
	cases := []struct{ model, a, b string }{
		{"credit-risk", "", ""}, {"search-ranker", "", ""}, {"image-tagger", "", ""}, {"no-such-model", "", ""}, {"credit-risk", "11", "99"},
	}
	for _, tc := range cases {
		for _, sz := range sizes {
			m, c, _ := open(t, "dark", tc.model, tc.a, tc.b, sz[0], sz[1])
			uitest.CheckSize(t, m.View(), sz[0], sz[1])
			withHistory(m, c, 180)
			uitest.CheckSize(t, m.View(), sz[0], sz[1])
			keys(m, "end")
			uitest.CheckSize(t, m.View(), sz[0], sz[1])
			keys(m, "right", "space", "tab", "]", "}")
			uitest.CheckSize(t, m.View(), sz[0], sz[1])
		}
	}
}

func TestScrolls(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", "", "", 80, 24)
	withHistory(m, c, 180)
	top := uitest.Plain(m)
	if !strings.Contains(top, "↓ 1–") || strings.Contains(top, "Graphs over") {
		t.Fatalf("at 80x24 the graphs should be below the fold:\n%s", top)
	}
	keys(m, "pgdown", "end")
	bottom := uitest.Plain(m)
	if !strings.Contains(bottom, "error ratio  v11 ─") || !strings.Contains(bottom, "↑") {
		t.Fatalf("scrolled to the end:\n%s", bottom)
	}
	// The header stays put while the body scrolls.
	if !strings.Contains(bottom, "compare v11 ↔ v12") || !strings.Contains(bottom, "A v11 stable") {
		t.Errorf("header scrolled away:\n%s", bottom)
	}
	keys(m, "home")
	if uitest.Plain(m) != top {
		t.Error("home does not return to the top")
	}
	keys(m, "down")
	if got := uitest.Plain(m); got == top || !strings.Contains(got, "↑↓ 2–") {
		t.Errorf("down does not scroll by one:\n%s", got)
	}
}

func TestASCIIGlyphs(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", "", "", 120, 40)
	c.Glyphs.BarFull = "#"
	m.Update(tea0{})
	withHistory(m, c, 180)
	if got := m.Title(); got != "compare v11 <-> v12" {
		t.Errorf("ASCII title = %q", got)
	}
	v := ansi.Strip(m.View())
	for _, r := range []string{"╭", "╯", "─ v12"} {
		if strings.Contains(strings.SplitN(v, "Graphs over", 2)[1], r) {
			t.Errorf("ASCII graphs still draw %q", r)
		}
	}
}

// tea0 is a message no one handles: it only makes the screen rebuild.
type tea0 struct{}
