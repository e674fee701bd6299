package detailscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/ui/uitest"
)

// credit-risk's canary under analysis: the Rollout section lists each run
// and each metric's phase.
func TestGoldenAnalysis(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("credit-risk-analysis-dark-%dx%d", sz[0], sz[1])
		func() {
			m, c, _ := open(t, "dark", "credit-risk", sz[0], sz[1])
			s := uitest.AnalysisSnapshot()
			c.Snapshot = &s
			withHistory(m, c, 180)
			view := m.View()
			uitest.CheckSize(t, view, sz[0], sz[1])
			uitest.Golden(t, name, view)
			if sz[0] == 200 {
				if want := "error-rate ✖ Failed"; !strings.Contains(ansi.Strip(view), want) {
					t.Errorf("the detail screen lacks %q", want)
				}
			}
		}()
	}
}
