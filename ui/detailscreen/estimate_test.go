package detailscreen

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// openEstimated is the detail screen of model in a fleet whose quality is
// estimated without labels (uitest.EstimatedSnapshot), with the estimate's
// history of credit-risk drawn over its measured quality.
func openEstimated(t *testing.T, model string, w, h int) *Model {
	t.Helper()
	m, c, _ := open(t, "dark", model, w, h)
	s := uitest.EstimatedSnapshot()
	c.Snapshot = &s
	withHistory(m, c, 180)
	m.Update(common.EstimateHistoryMsg{Model: model, History: estimateHistory(model, c.Range, 180)})
	return m
}

// estimateHistory is credit-risk's estimate over rng: v11's auc sliding
// from .88 to .86 over the range, v12's steady at .89; nothing for other
// models.
func estimateHistory(model string, rng time.Duration, points int) fleet.EstimateHistory {
	h := fleet.EstimateHistory{Model: model, Range: rng, Step: rng / time.Duration(points), End: uitest.Now}
	if model != "credit-risk" {
		return h
	}
	v11, v12 := make([]float64, points), make([]float64, points)
	for i := range points {
		v11[i] = 0.88 - 0.02*float64(i)/float64(points-1)
		v12[i] = 0.89
	}
	h.Series = []fleet.EstimateSeries{{Version: "11", Metric: "roc_auc", Values: v11}, {Version: "12", Metric: "roc_auc", Values: v12}}
	return h
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
		"⚠ calibration unreliable: ECE .090 > .05 over 7d, 2,150 labels",
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

// The estimate's line is drawn over the measured quality, with its legend;
// without an estimate history the graph is as it was.
func TestEstimateGraph(t *testing.T) {
	v := uitest.Plain(openEstimated(t, "credit-risk", 200, 80))
	if !strings.Contains(v, "─ est .86") || !strings.Contains(v, "─ est .89") {
		t.Errorf("no estimate legend in:\n%s", v)
	}
	m, c, _ := open(t, "dark", "credit-risk", 200, 80)
	s := uitest.EstimatedSnapshot()
	c.Snapshot = &s
	withHistory(m, c, 180)
	if v := uitest.Plain(m); strings.Contains(v, " est ") {
		t.Errorf("estimate legend without an estimate history:\n%s", v)
	}
	// An answer for another range is not drawn under this one's name.
	m.Update(common.EstimateHistoryMsg{Model: "credit-risk", History: estimateHistory("credit-risk", 6*time.Hour, 180)})
	if v := uitest.Plain(m); strings.Contains(v, " est ") {
		t.Errorf("estimate of another range drawn:\n%s", v)
	}
}

func TestErrorText(t *testing.T) {
	for e, want := range map[float64]string{0.02: ".02", 0.0099: ".01", 0.004: ".004", 0.0951: ".10"} {
		if got := errorText(e); got != want {
			t.Errorf("errorText(%v) = %q, want %q", e, got, want)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 38400: "38,400", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%v) = %q, want %q", n, got, want)
		}
	}
}

// A calibration resting on no labelled prediction is not rated: an ECE of
// .000 over none would read as perfect.
func TestNoCalibrationWithoutLabels(t *testing.T) {
	m, c, _ := open(t, "dark", "churn-predictor", 200, 80)
	s := uitest.EstimatedSnapshot()
	for i := range s.Models {
		if s.Models[i].Name == "churn-predictor" {
			s.Models[i].Version("3").Calibration = &fleet.Calibration{Window: time.Hour, Threshold: 0.5, Unavailable: "no labelled predictions over 1h"}
		}
	}
	c.Snapshot = &s
	v := uitest.Plain(m)
	if !strings.Contains(v, "v3 estimate unavailable: no labelled predictions over 1h") || strings.Contains(v, "ECE") {
		t.Errorf("want the reason and no ECE:\n%s", v)
	}
}

// An unreliable calibration says the limit and the sampling noise the
// rule allowed for.
func TestUnreliableNamesTheNoise(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", 200, 80)
	s := uitest.EstimatedSnapshot()
	for i := range s.Models {
		if s.Models[i].Name == "credit-risk" {
			cal := s.Models[i].Version("12").Calibration
			cal.ECENoise, cal.MaxECE = 0.031, 0.05
		}
	}
	c.Snapshot = &s
	if v := uitest.Plain(m); !strings.Contains(v, "calibration unreliable: ECE .090 > .05 + .031 sampling noise") {
		t.Errorf("want the limit and the noise:\n%s", v)
	}
}
