package root

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/ui/uitest"
)

// targetsDownSnapshot is the fixture with the built-in engine's exporters
// down as the poller reports them: down of seven targets, the first down
// one exporting churn-predictor v3, whose values are held and stale.
func targetsDownSnapshot(now time.Time, down int) fleet.Snapshot {
	s := uitest.Snapshot()
	lastGood := now.Add(-2 * time.Minute)
	src := &s.Sources[0]
	for i := range 7 {
		t := fleet.ScrapeTarget{URL: fmt.Sprintf("http://127.0.0.1:%d/metrics", 9101+i), Up: true,
			LastScrape: now, LastSuccess: now, Series: []fleet.ModelVersion{{Model: fmt.Sprintf("model-%d", i), Version: "1"}}}
		if i < down {
			t.Up, t.Error, t.LastSuccess = false, "connection refused", lastGood
		}
		if i == 0 {
			t.Series = []fleet.ModelVersion{{Model: "churn-predictor", Version: "3"}}
		}
		src.Targets = append(src.Targets, t)
	}
	if down == 7 {
		src.OK, src.Error, src.LastSuccess = false, src.TargetsSummary(), lastGood
	} else {
		src.Warnings = []string{src.TargetsSummary()}
	}
	for i := range s.Models {
		m := &s.Models[i]
		if m.Name == "churn-predictor" || down == 7 {
			for j := range m.Versions {
				m.Versions[j].StaleSince = lastGood
			}
		}
	}
	s.TakenAt = now
	judge.Snapshot(&s, judge.Default())
	return s
}

// The built-in engine with exporters down says how many on the status
// line, ⚠ while some answer and ✖ when none do, with the first one's error
// in plain words; the stale model says how old its data is, never ✔.
func TestGoldenTargetsDown(t *testing.T) {
	for _, tc := range []struct {
		down int
		want []string
	}{
		{1, []string{"embedded ⚠ 1/7 targets down"}},
		{7, []string{"embedded ✖ 7/7 targets down", "data 2m old"}},
	} {
		for _, sz := range []struct{ w, h int }{{80, 24}, {200, 50}} {
			name := fmt.Sprintf("targets-down-%d-dark-%dx%d", tc.down, sz.w, sz.h)
			t.Run(name, func(t *testing.T) {
				c := uitest.Common("dark")
				s := targetsDownSnapshot(c.Now, tc.down)
				c.Snapshot = &s
				m := newRoot(t, "dark", sz.w, sz.h, Options{Common: c})
				got := view(m)
				assertFits(t, got, sz.w, sz.h)
				text := ansi.Strip(got)
				top := strings.SplitN(text, "\n", 2)[0]
				for _, want := range tc.want {
					if !strings.Contains(top, want) {
						t.Errorf("status line %q lacks %q", top, want)
					}
				}
				if sz.w >= 200 && !strings.Contains(top, "connection refused") {
					t.Errorf("status line %q does not say why the targets are down", top)
				}
				if sz.w >= 200 && !strings.Contains(text, "unknown (data 2m old)") {
					t.Errorf("the stale model does not say how old its data is:\n%s", text)
				}
				if tc.down == 1 {
					// Only the stale version's values are dimmed (faint).
					for _, l := range strings.Split(got, "\n") {
						plain := ansi.Strip(l)
						if strings.Contains(plain, "churn-predictor") != strings.Contains(l, "\x1b[2;") && strings.Contains(plain, "stable") {
							t.Errorf("dimmed only if stale, line %q", plain)
						}
					}
				}
				uitest.Golden(t, name, got)
			})
		}
	}
}
