package driftscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/uitest"
)

// The heatmap carries the model's events over its time axis, each at the
// column whose steps hold its time.
func TestGoldenEvents(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("churn-predictor-events-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			m, c, _ := open(t, "dark", "churn-predictor", sz[0], sz[1])
			c.Events = &uitest.EventsProvider{}
			for _, msg := range uitest.Run(m.Init()) {
				m.Update(msg)
			}
			withHistory(m, c)
			view := m.View()
			uitest.CheckSize(t, view, sz[0], sz[1])
			uitest.Golden(t, name, view)
		})
	}
}

func TestHeatmapMarksAtTheirColumns(t *testing.T) {
	m, c, _ := open(t, "dark", "churn-predictor", 200, 50)
	c.Events = &uitest.EventsProvider{}
	for _, msg := range uitest.Run(m.Init()) {
		m.Update(msg)
	}
	withHistory(m, c)
	h := m.hist.Data
	width := heatWidth(m.width)
	col := heatColumn(&h, width)
	g := c.Glyphs.Events
	lines := strings.Split(uitest.Plain(m), "\n")
	for i, l := range lines {
		if !strings.Contains(l, g.Deploy) || i+1 >= len(lines) || !strings.Contains(lines[i+1], "└") {
			continue
		}
		// The mark row sits over the time axis, whose first cell is the
		// heatmap's first column.
		start := strings.Index(lines[i+1], "└")
		row := []rune(l)
		first := len([]rune(lines[i+1][:start]))
		for _, e := range uitest.Events("churn-predictor")[1:6] {
			c, ok := col(e.Time)
			if !ok {
				t.Fatalf("event at %s is off the heatmap", e.Time.Format("15:04"))
			}
			if got := string(row[first+c]); got != g.Of(e.Kind) {
				t.Errorf("event %s at %s: column %d shows %q, want %q: %q", e.Kind, e.Time.Format("15:04"), c, got, g.Of(e.Kind), l)
			}
		}
		return
	}
	t.Fatalf("no mark row over the heatmap's time axis:\n%s", uitest.Plain(m))
}
