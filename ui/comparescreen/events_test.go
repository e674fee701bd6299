package comparescreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// The overlaid graphs carry the model's events on their time axes.
func TestGoldenEvents(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("credit-risk-events-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			m, c, _ := open(t, "dark", "credit-risk", "", "", sz[0], sz[1])
			c.Events = &uitest.EventsProvider{}
			for _, msg := range uitest.Run(m.Init()) {
				m.Update(msg)
			}
			withHistory(m, c, 180)
			m.Update(uitest.Press("G"))
			view := m.View()
			uitest.CheckSize(t, view, sz[0], sz[1])
			uitest.Golden(t, name, view)
			g := c.Glyphs.Events
			axis := ""
			for _, l := range strings.Split(uitest.Plain(m), "\n") {
				if strings.Contains(l, g.Corner) {
					axis = l
					break
				}
			}
			for _, mark := range []string{g.Deploy, g.Alias, g.RolloutStep, g.DriftOnset, g.Alert} {
				if !strings.Contains(axis, mark) {
					t.Errorf("axis %q lacks the mark %q", axis, mark)
				}
			}
		})
	}
}

func TestEventsForAnotherModelDropped(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", "", "", 200, 50)
	c.Events = &uitest.EventsProvider{}
	withHistory(m, c, 180)
	evs := uitest.Events("payments-fraud")
	m.Update(common.EventsMsg{Model: "payments-fraud", Window: common.EventWindow{Range: c.Range, Events: evs}})
	if v := uitest.Plain(m); strings.Contains(v, c.Glyphs.Events.Deploy) {
		t.Error("another model's events are marked")
	}
}
