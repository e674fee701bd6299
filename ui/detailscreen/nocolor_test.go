package detailscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/uitest"
)

// Without colours the live quality line and the offline baseline drawn
// over it keep different glyphs: solid and dotted.
func TestGoldenNoColor(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("credit-risk-no-color-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			m, c, _ := open(t, "no-color", "credit-risk", sz[0], sz[1])
			withHistory(m, c, 180)
			view := m.View()
			uitest.CheckSize(t, view, sz[0], sz[1])
			uitest.Golden(t, name, view)
		})
	}
	m, c, _ := open(t, "no-color", "credit-risk", 200, 50)
	withHistory(m, c, 180)
	v := uitest.Plain(m)
	if !strings.Contains(v, "─ live") || !strings.Contains(v, "┄ off") || strings.Count(v, "┄") < 10 {
		t.Errorf("the quality graph does not draw live and offline apart:\n%s", v)
	}
}
