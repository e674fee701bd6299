package root

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/uitest"
)

func TestGoldenFleet(t *testing.T) {
	for _, theme := range []string{"dark", "light"} {
		for _, sz := range uitest.Sizes {
			name := fmt.Sprintf("fleet-%s-%dx%d", theme, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				m := newRoot(t, theme, sz[0], sz[1], Options{})
				got := view(m)
				assertFits(t, got, sz[0], sz[1])
				text := ansi.Strip(got)
				for _, want := range []string{"mltop", "embedded", "mlflow", "payments-fraud", "operator"} {
					if !strings.Contains(text, want) {
						t.Errorf("frame lacks %q", want)
					}
				}
				uitest.Golden(t, name, got)
			})
		}
	}
}

func TestGoldenHelpOverlay(t *testing.T) {
	for _, sz := range uitest.Sizes {
		name := fmt.Sprintf("help-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			m := newRoot(t, "dark", sz[0], sz[1], Options{})
			press(m, "?")
			got := view(m)
			assertFits(t, got, sz[0], sz[1])
			text := ansi.Strip(got)
			for _, want := range []string{"Everywhere", "detail", "filter"} {
				if !strings.Contains(text, want) {
					t.Errorf("help lacks %q", want)
				}
			}
			uitest.Golden(t, name, got)
			press(m, "?")
			if m.overlay != overlayNone {
				t.Error("? did not close the help")
			}
		})
	}
}

func TestGoldenPaletteCandidates(t *testing.T) {
	for _, sz := range uitest.Sizes {
		name := fmt.Sprintf("palette-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			m := newRoot(t, "dark", sz[0], sz[1], Options{})
			press(m, ":")
			typeText(m, "model c")
			got := view(m)
			assertFits(t, got, sz[0], sz[1])
			text := ansi.Strip(got)
			for _, want := range []string{":model c", "churn-predictor", "credit-risk"} {
				if !strings.Contains(text, want) {
					t.Errorf("palette lacks %q", want)
				}
			}
			uitest.Golden(t, name, got)
		})
	}
}

// A source that stopped answering shows its error in plain words and how
// old its data is, at every size.
func TestGoldenStaleSource(t *testing.T) {
	for _, sz := range uitest.Sizes {
		name := fmt.Sprintf("stale-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			c := uitest.Common("dark")
			s := uitest.Snapshot()
			s.Sources[1] = fleet.SourceStatus{Name: "mlflow", Kind: "mlflow", OK: false,
				Error: "connection refused", LastSuccess: c.Now.Add(-3 * time.Minute)}
			c.Snapshot = &s
			m := newRoot(t, "dark", sz[0], sz[1], Options{Common: c})
			got := view(m)
			assertFits(t, got, sz[0], sz[1])
			top := ansi.Strip(strings.SplitN(got, "\n", 2)[0])
			for _, want := range []string{"mlflow ✖ connection refused", "data 3m old"} {
				if !strings.Contains(top, want) {
					t.Errorf("status line %q lacks %q", top, want)
				}
			}
			uitest.Golden(t, name, got)
		})
	}
}

func TestReadOnlyBadge(t *testing.T) {
	c := uitest.Common("dark")
	c.ReadOnly = true
	m := newRoot(t, "dark", 120, 40, Options{Common: c})
	top := ansi.Strip(strings.SplitN(view(m), "\n", 2)[0])
	if !strings.Contains(top, "READ-ONLY") {
		t.Errorf("status line %q lacks the read-only badge", top)
	}
	c.ReadOnly = false
	m = newRoot(t, "dark", 120, 40, Options{Common: c})
	if strings.Contains(ansi.Strip(view(m)), "READ-ONLY") {
		t.Error("badge shown when not read-only")
	}
}

// The status line gives up detail, not correctness, as the window narrows.
func TestStatusLineNarrow(t *testing.T) {
	for _, w := range []int{20, 40, 60, 80, 100} {
		c := uitest.Common("dark")
		s := uitest.Snapshot()
		s.Sources[0].OK, s.Sources[0].Error = false, "Get \"http://127.0.0.1:9/metrics\": dial tcp 127.0.0.1:9: connect: connection refused"
		c.Snapshot = &s
		m := newRoot(t, "dark", w, 10, Options{Common: c})
		assertFits(t, view(m), w, 10)
	}
}

func TestWaitingForFirstPoll(t *testing.T) {
	c := uitest.Common("dark")
	c.Snapshot = nil
	m := newRoot(t, "dark", 80, 24, Options{Common: c})
	if top := ansi.Strip(strings.SplitN(view(m), "\n", 2)[0]); !strings.Contains(top, "waiting for the first poll") {
		t.Errorf("status line %q does not say it waits for data", top)
	}
}

// A source that answered with partial-response warnings says so, naming
// what is missing, instead of a plain tick.
func TestPartialResponseShown(t *testing.T) {
	c := uitest.Common("dark")
	s := uitest.Snapshot()
	s.Sources[0].Warnings = []string{"No StoreAPIs matched for this query: store 127.0.0.1:10901 unavailable", "second"}
	c.Snapshot = &s
	m := newRoot(t, "dark", 200, 50, Options{Common: c})
	got := view(m)
	assertFits(t, got, 200, 50)
	top := ansi.Strip(strings.SplitN(got, "\n", 2)[0])
	if !strings.Contains(top, "embedded ⚠ partial (2): No StoreAPIs matched") {
		t.Errorf("status line %q does not show the partial response", top)
	}
}
