package fleetscreen

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func TestViewGolden(t *testing.T) {
	for _, theme := range []string{"dark", "light"} {
		for _, sz := range uitest.Sizes {
			name := fmt.Sprintf("fleet_%s_%dx%d", theme, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				m := newScreen(t, theme, sz[0], sz[1])
				v := m.View()
				checkSize(t, v, sz[0], sz[1])
				uitest.Golden(t, name, v)
			})
		}
	}
}

func TestViewFitsEverySize(t *testing.T) {
	m := newScreen(t, "dark", 80, 24)
	states := []struct {
		name  string
		setup func()
	}{
		{"default", func() {}},
		{"filtered", func() {
			if err := m.SetFilter("risk_tier=high"); err != nil {
				t.Fatal(err)
			}
		}},
		{"sorted by labels", func() { m.setSort(col("LABELS"), true) }},
		{"nothing matches", func() {
			if err := m.SetFilter("no-such-model"); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, st := range states {
		st.setup()
		for w := 60; w <= 250; w += 7 {
			for h := 15; h <= 70; h += 11 {
				m.SetSize(w, h)
				checkSize(t, m.View(), w, h)
			}
		}
	}
	// Tiny terminals cut, they never wrap.
	if err := m.SetFilter(""); err != nil {
		t.Fatal(err)
	}
	for w := 1; w < 60; w++ {
		for h := 1; h <= 4; h++ {
			m.SetSize(w, h)
			checkSize(t, m.View(), w, h)
		}
	}
}

// Without colour, or without Unicode, the layout holds.
func TestViewFitsWithoutColourOrUnicode(t *testing.T) {
	m := newScreen(t, "no-color", 80, 24)
	checkSize(t, m.View(), 80, 24)
	if l := lineOf(m, "payments-fraud"); !strings.HasPrefix(l, "▌") {
		t.Errorf("no-color: selection marker missing: %q", l)
	}
	m.c.Glyphs = themes.ASCII
	m.relayout()
	for _, w := range []int{80, 120, 200} {
		m.SetSize(w, 24)
		checkSize(t, m.View(), w, 24)
	}
	if l := lineOf(m, "credit-risk"); !strings.Contains(l, "= Paused 2/4 [#...]25%") || strings.ContainsAny(l, "▕▏█░") {
		t.Errorf("ascii rollout: %q", l)
	}
	if l := lineOf(m, "payments-fraud"); !strings.HasPrefix(l, ">x") {
		t.Errorf("ascii marker and icon: %q", l)
	}
}

// A theme change redraws with the new theme's colours.
func TestThemeChange(t *testing.T) {
	m := newScreen(t, "dark", 120, 40)
	light := newScreen(t, "light", 120, 40)
	m.c.Theme = light.c.Theme
	m.Update(common.ThemeChangedMsg{})
	if m.View() != light.View() {
		t.Error("view after a theme change differs from a fresh light view")
	}
}

func TestNoModelsListsSources(t *testing.T) {
	c := uitest.Common("dark")
	s := uitest.Snapshot()
	s.Models = nil
	s.Sources = []fleet.SourceStatus{{Name: "prometheus", Kind: "prometheus", Error: "connection refused"}}
	c.Snapshot = &s
	m := New(c)
	m.SetSize(80, 24)
	v := ansi.Strip(m.View())
	checkSize(t, m.View(), 80, 24)
	for _, want := range []string{"waiting for the first poll…", "✖ prometheus: connection refused"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

// At 80 columns the core columns stay, latency and errors among them so
// that a red row shows its cause; the extras drop, rollout among them.
func TestColumnsDropByPriority(t *testing.T) {
	header := func(w int) string { return plainLines(newScreen(t, "dark", w, 24))[0] }
	h80 := header(80)
	for _, want := range []string{"MODEL", "VERSION", "P95", "ERR", "QUALITY", "DRIFT"} {
		if !strings.Contains(h80, want) {
			t.Errorf("80 columns: header %q lacks %s", h80, want)
		}
	}
	for _, gone := range []string{"LABELS", "ROLLOUT"} {
		if strings.Contains(h80, gone) {
			t.Errorf("80 columns: %s should drop before latency and errors: %q", gone, h80)
		}
	}
	m := newScreen(t, "dark", 80, 24)
	for model, cause := range map[string]string{"payments-fraud": "5.2%", "image-tagger": "9.1%", "churn-predictor": "psi .27 tenure"} {
		if l := lineOf(m, model); !strings.Contains(l, cause) {
			t.Errorf("80 columns: %s does not show its cause %q: %q", model, cause, l)
		}
	}
	// Rollout comes back before traffic, trends, labels and reasons.
	if h := header(90); !strings.Contains(h, "ROLLOUT") || strings.Contains(h, "REQ/S") {
		t.Errorf("90 columns: %q", h)
	}
	if h200 := header(200); !strings.Contains(h200, "LABELS") || !strings.Contains(h200, "TREND") {
		t.Errorf("200 columns shows everything: %q", h200)
	}
	// Whatever drops, a column that is present at a width stays present
	// when the terminal widens.
	prev := map[string]bool{}
	for w := 60; w <= 250; w += 5 {
		h := header(w)
		for name := range prev {
			if !strings.Contains(h, name) {
				t.Errorf("width %d: %s vanished while widening", w, name)
			}
		}
		for _, f := range strings.Fields(h) {
			if f == strings.ToUpper(f) && len(f) > 2 {
				prev[f] = true
			}
		}
	}
}

func TestLongNamesAreCutNotWrapped(t *testing.T) {
	s := uitest.Snapshot()
	s.Models[0].Name = strings.Repeat("very-long-model-name-", 5)
	c := uitest.Common("dark")
	c.Snapshot = &s
	m := New(c)
	m.SetSize(80, 24)
	v := m.View()
	checkSize(t, v, 80, 24)
	l := lineOf(m, "very-long-model")
	if l == "" || strings.Contains(l, s.Models[0].Name) || !regexp.MustCompile(`very-long-model-\S*… `).MatchString(l) {
		t.Errorf("long name not cut with …:\n%s", ansi.Strip(v))
	}
}

func TestWaitingForFirstPoll(t *testing.T) {
	c := uitest.Common("dark")
	c.Snapshot = nil
	m := New(c)
	m.SetSize(80, 24)
	v := m.View()
	checkSize(t, v, 80, 24)
	lines := strings.Split(ansi.Strip(v), "\n")
	mid := lines[11]
	if !strings.Contains(mid, "waiting for the first poll…") {
		t.Fatalf("middle line = %q", mid)
	}
	if l, r := len(mid)-len(strings.TrimLeft(mid, " ")), len(mid)-len(strings.TrimRight(mid, " ")); l-r > 1 || r-l > 1 {
		t.Errorf("message not centred: %d blanks left, %d right", l, r)
	}
}
