package fleetscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/uitest"
)

// TestViewGoldenDataQuality: during a pipeline incident the WHY column
// names the data-quality finding ahead of the drift it causes.
func TestViewGoldenDataQuality(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("fleet_dataquality_dark_%dx%d", sz[0], sz[1])
		m := screenOver(t, uitest.PipelineSnapshot(), sz[0], sz[1])
		v := m.View()
		checkSize(t, v, sz[0], sz[1])
		uitest.Golden(t, name, v)
	}
}

func TestDataQualityWhy(t *testing.T) {
	m := screenOver(t, uitest.PipelineSnapshot(), 200, 50)
	if l := lineOf(m, "churn-predictor"); !strings.Contains(l, "tenure 7 % missing +1") {
		t.Errorf("WHY of churn-predictor: %q", l)
	}
	// A silent feature is critical and said first.
	m = screenOver(t, uitest.DataQualitySnapshot(), 200, 50)
	if l := lineOf(m, "churn-predictor"); !strings.Contains(l, "region silent (no values while predictions flow)") || !strings.Contains(l, "✖") {
		t.Errorf("WHY of churn-predictor with a silent feature: %q", l)
	}
}
