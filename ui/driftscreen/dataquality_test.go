package driftscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/ui/uitest"
)

// openDQ is the drift screen over the data-quality fixture.
func openDQ(t *testing.T, w, h int) *Model {
	t.Helper()
	m, c, _ := open(t, "dark", "churn-predictor", w, h)
	s := uitest.DataQualitySnapshot()
	c.Snapshot = &s
	m.SetSize(w, h)
	withHistory(m, c)
	return m
}

// TestGoldenDataQuality: missing, out-of-range and unseen shares per
// feature, the silent feature first and critical, the notes with the
// limits and the unseen categories by name.
func TestGoldenDataQuality(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("churn-predictor-dq-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			checkGolden(t, name, openDQ(t, sz[0], sz[1]).View(), sz[0], sz[1])
		})
	}
}

// TestDataQualityCells reads the cells and notes: a silent feature is
// not "no data", each share sits in its column, the limit is named.
func TestDataQualityCells(t *testing.T) {
	view := ansi.Strip(openDQ(t, 200, 50).View())
	region := lineWith(view, " region ")
	if !strings.Contains(region, "✖ silent") || strings.Contains(region, "no data") {
		t.Errorf("region row %q: want silent, not no data", region)
	}
	if tenure := lineWith(view, " tenure "); !strings.Contains(tenure, "7%") {
		t.Errorf("tenure row %q lacks its 7%% missing", tenure)
	}
	if plan := lineWith(view, " plan "); !strings.Contains(plan, "22%") {
		t.Errorf("plan row %q lacks its 22%% unseen", plan)
	}
	for _, want := range []string{
		"tenure: 7 % missing > limit 1 % (reference 0.5 %)",
		"plan: 22 % in categories the reference never saw: gold 20 %, trial 2 %",
		"monthly_charges: 5 % of values where the reference had none",
		"schema against the reference: coupon added, region gone",
	} {
		if lineWith(view, want) == "" {
			t.Errorf("no line %q in\n%s", want, view)
		}
	}
	narrow := ansi.Strip(openDQ(t, 80, 24).View())
	if l := lineWith(narrow, " tenure"); !strings.Contains(l, "7% miss") {
		t.Errorf("80 columns: tenure row %q", l)
	}
}

// TestDataQualitySizes draws the data-quality fixture at many sizes,
// scrolled to the top and the bottom: always exactly the size asked for.
func TestDataQualitySizes(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {20, 5}, {40, 10}, {60, 15}, {80, 24}, {109, 30}, {110, 30}, {160, 45}, {260, 70}} {
		m := openDQ(t, sz[0], sz[1])
		uitest.CheckSize(t, m.View(), sz[0], sz[1])
		m.Update(uitest.Press("end"))
		uitest.CheckSize(t, m.View(), sz[0], sz[1])
	}
}
