package root

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/ui/uitest"
)

// Faults are never health: with the metrics source down for two minutes
// no model is ✔ (a red one stays red), and WHY says how old the data is.
func TestGoldenStaleMetrics(t *testing.T) {
	for _, sz := range uitest.Sizes {
		name := fmt.Sprintf("stale-metrics-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			c := uitest.Common("dark")
			s := uitest.Snapshot()
			s.Sources[0] = fleet.SourceStatus{Name: "embedded", Kind: "embedded", OK: false,
				Error: "connection refused", LastSuccess: s.TakenAt.Add(-2 * time.Minute)}
			judge.Snapshot(&s, judge.Default())
			c.Snapshot = &s
			m := newRoot(t, "dark", sz[0], sz[1], Options{Common: c})
			got := view(m)
			assertFits(t, got, sz[0], sz[1])
			text := ansi.Strip(got)
			if strings.Contains(text, "✔ demand-forecast") || strings.Contains(text, "✔ eta-predictor") {
				t.Errorf("a model is ✔ on stale data:\n%s", text)
			}
			if !strings.Contains(text, "✖ payments-fraud") {
				t.Errorf("the critical model lost its ✖:\n%s", text)
			}
			if sz[0] >= 200 && !strings.Contains(text, "unknown (data 2m old)") {
				t.Errorf("WHY does not say how old the data is:\n%s", text)
			}
			uitest.Golden(t, name, got)
		})
	}
}

// An error ratio of +Inf (errors, no successful prediction) is critical
// and drawn as ∞, never —; an impossible value makes health unknown with
// the reason.
func TestGoldenFaultyValues(t *testing.T) {
	for _, sz := range uitest.Sizes {
		name := fmt.Sprintf("faulty-values-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			c := uitest.Common("dark")
			s := uitest.Snapshot()
			for i := range s.Models {
				switch m := &s.Models[i]; m.Name {
				case "image-tagger":
					inf := math.Inf(1)
					m.Versions[0].ErrorRate = &inf
				case "eta-predictor":
					neg := -3.0
					m.Versions[0].RequestsPerSecond = &neg
				}
			}
			judge.Snapshot(&s, judge.Default())
			c.Snapshot = &s
			m := newRoot(t, "dark", sz[0], sz[1], Options{Common: c})
			got := view(m)
			assertFits(t, got, sz[0], sz[1])
			text := ansi.Strip(got)
			for _, want := range []string{"✖ image-tagger", "◌ eta-predictor"} {
				if !strings.Contains(text, want) {
					t.Errorf("frame lacks %q:\n%s", want, text)
				}
			}
			if sz[0] >= 120 && !strings.Contains(text, "∞") {
				t.Errorf("the +Inf error ratio is not drawn as ∞:\n%s", text)
			}
			if sz[0] >= 200 {
				for _, want := range []string{"errors with no successful predictions", "impossible request rate -3/s"} {
					if !strings.Contains(text, want) {
						t.Errorf("WHY lacks %q:\n%s", want, text)
					}
				}
			}
			uitest.Golden(t, name, got)
		})
	}
}
