package detailscreen

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/uitest"
)

// openPromoted is the detail screen of credit-risk after its canary was
// promoted to 100 % while the registry's champion still names v11.
func openPromoted(t *testing.T, theme string, w, h int) *Model {
	t.Helper()
	m, c, _ := open(t, theme, "credit-risk", w, h)
	s := uitest.PromotedSnapshot()
	c.Snapshot = &s
	withHistory(m, c, 180)
	return m
}

func TestGoldenPromoted(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("credit-risk-promoted-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			view := openPromoted(t, "dark", sz[0], sz[1]).View()
			uitest.CheckSize(t, view, sz[0], sz[1])
			uitest.Golden(t, name, view)
		})
	}
}

// The header says that the registry's alias is behind the traffic, so
// "champion v11" does not read as "v11 serves".
func TestHeaderAliasBehindTraffic(t *testing.T) {
	v := uitest.Plain(openPromoted(t, "dark", 200, 50))
	if !strings.Contains(v, "champion v11 (registry) · v12 serves 100 %") {
		t.Errorf("header does not say the alias is behind the traffic:\n%s", v)
	}
	// The alias that serves is not annotated.
	m, c, _ := open(t, "dark", "credit-risk", 200, 50)
	withHistory(m, c, 180)
	if v := uitest.Plain(m); strings.Contains(v, "(registry)") || strings.Contains(v, "serves 100 %") {
		t.Errorf("paused canary (champion v11 serves 75 %%) is annotated:\n%s", v)
	}
}

// TestQualityAsOf draws "quality as of", and the judge's mark when that
// predates the version (the rule: judge's TestQualityPredatesVersion).
func TestQualityAsOf(t *testing.T) {
	now := uitest.Now
	age := func(h float64) *float64 { s := h * 3600; return &s }
	cases := []struct {
		name    string
		gt      fleet.GroundTruth
		created time.Time
		want    []string
		not     []string
	}{
		{
			// The snapshot's figure is read as it is: the newest label (30 h)
			// is older than the delay p95 (2 h), so quality is 30 h old.
			name: "newest label older than p95",
			gt:   fleet.GroundTruth{DelayP95Seconds: age(2), LastLabelAgeSeconds: age(30), QualityAsOf: now.Add(-30 * time.Hour)},
			want: []string{"quality as of 1d6h ago (Nov 21 21:00)"},
			not:  []string{"older than"},
		},
		{
			name:    "older than the version",
			gt:      fleet.GroundTruth{DelayP95Seconds: age(2), LastLabelAgeSeconds: age(30), QualityAsOf: now.Add(-30 * time.Hour), PredatesVersion: true},
			created: now.Add(-24 * time.Hour),
			want:    []string{"quality as of 1d6h ago", "⚠ older than v7 (created 1d ago)"},
		},
		{
			name:    "younger than the version",
			gt:      fleet.GroundTruth{DelayP95Seconds: age(2), QualityAsOf: now.Add(-2 * time.Hour)},
			created: now.Add(-24 * time.Hour),
			want:    []string{"quality as of 2h ago"},
			not:     []string{"older than"},
		},
		{
			// Not computed (no clock, or the figures unknown): never a guess
			// from the p95 alone.
			name: "unknown",
			gt:   fleet.GroundTruth{DelayP95Seconds: age(2)},
			want: []string{"quality as of —"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := uitest.Common("dark")
			c.Now = now
			m := New(c, "x")
			v := &fleet.Version{Version: "7", GroundTruth: tc.gt, Lineage: &fleet.Lineage{CreatedAt: tc.created}}
			got := ansi.Strip(strings.Join(m.labelLines([]*fleet.Version{v}, 250), "\n"))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("%q has %q", got, w)
				}
			}
		})
	}
}
