package comparescreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/uitest"
)

// Without colours the two versions' lines are told apart by their glyphs:
// A solid, B double, in the legend and in the graphs.
func TestGoldenNoColor(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("credit-risk-no-color-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			m, c, _ := open(t, "no-color", "credit-risk", "", "", sz[0], sz[1])
			withHistory(m, c, 180)
			view := m.View()
			uitest.CheckSize(t, view, sz[0], sz[1])
			if strings.Contains(view, "\x1b[3") || strings.Contains(view, "\x1b[38") {
				t.Error("a no-color frame sets colours")
			}
			uitest.Golden(t, name, view)
		})
	}
	m, c, _ := open(t, "no-color", "credit-risk", "", "", 200, 50)
	withHistory(m, c, 180)
	v := uitest.Plain(m)
	for _, want := range []string{"request rate  v11 ─  v12 ═", "latency p95  v11 ─  v12 ═"} {
		if !strings.Contains(v, want) {
			t.Errorf("legend %q missing in\n%s", want, v)
		}
	}
	if !strings.ContainsAny(v, "═║╔╗╚╝") {
		t.Errorf("no double-line glyph drawn for v12:\n%s", v)
	}
}
