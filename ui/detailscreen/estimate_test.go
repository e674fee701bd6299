package detailscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/uitest"
)

// openEstimated is the detail screen of model in a fleet whose quality is
// estimated without labels (uitest.EstimatedSnapshot).
func openEstimated(t *testing.T, model string, w, h int) *Model {
	t.Helper()
	m, c, _ := open(t, "dark", model, w, h)
	s := uitest.EstimatedSnapshot()
	c.Snapshot = &s
	withHistory(m, c, 180)
	return m
}

func TestGoldenEstimated(t *testing.T) {
	for _, model := range []string{"credit-risk", "churn-predictor"} {
		for _, sz := range [][2]int{{80, 24}, {200, 50}} {
			name := fmt.Sprintf("%s-estimated-dark-%dx%d", model, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				view := openEstimated(t, model, sz[0], sz[1]).View()
				uitest.CheckSize(t, view, sz[0], sz[1])
				uitest.Golden(t, name, view)
			})
		}
	}
}

// The Estimate section says what is estimated now, what was measured and
// when, and what the estimate rests on, or why there is none.
func TestEstimateLines(t *testing.T) {
	v := uitest.Plain(openEstimated(t, "credit-risk", 200, 80))
	for _, want := range []string{
		"v11 estimated now auc .86 ± .02 (CBPE, threshold 0.5)",
		"measured .87 as of 2d1h ago (400 labels)",
		"calibration ECE .012 over 7d, 38,400 labels",
		"v12 estimated now auc .89 ± .03 (CBPE, threshold 0.5) ⚠ unreliable",
		"⚠ calibration unreliable: ECE .090 above the limit over 7d, 2,150 labels",
		"~auc .86 (off .88) ▼.02 (estimated ± .02)",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("missing %q in:\n%s", want, v)
		}
	}
	v = uitest.Plain(openEstimated(t, "churn-predictor", 200, 80))
	if want := "v3 estimate unavailable: no labelled predictions with scores in 0.95–1 over the last 7d"; !strings.Contains(v, want) {
		t.Errorf("missing %q in:\n%s", want, v)
	}
	// Models without estimates keep their page as it was: no section.
	if v := uitest.Plain(openEstimated(t, "payments-fraud", 200, 80)); strings.Contains(v, "Estimate") {
		t.Errorf("payments-fraud has an Estimate section:\n%s", v)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 38400: "38,400", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%v) = %q, want %q", n, got, want)
		}
	}
}
