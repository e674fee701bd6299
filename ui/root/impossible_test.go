package root

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// Values no server should send (a negative latency, an error ratio above
// 100 %, a rate of 1e300) are shown marked and short, on the fleet and on
// the detail screen: never as a normal-looking number, 300 digits or +Inf%.
func TestGoldenImpossibleValues(t *testing.T) {
	s := uitest.Snapshot()
	v := &s.Models[0].Versions[0] // payments-fraud v8
	p95, errRate, rps := -0.15, 1.5, 1e300
	v.Latency.P95, v.ErrorRate, v.RequestsPerSecond = &p95, &errRate, &rps
	for _, sz := range []struct{ w, h int }{{80, 24}, {200, 50}} {
		for _, screen := range []string{"fleet", "detail"} {
			name := fmt.Sprintf("impossible-%s-dark-%dx%d", screen, sz.w, sz.h)
			t.Run(name, func(t *testing.T) {
				m := newRoot(t, "dark", sz.w, sz.h, Options{})
				m.Update(common.SnapshotMsg{Snapshot: s})
				if screen == "detail" {
					m.Update(common.OpenModelMsg{Model: "payments-fraud"})
				}
				got := view(m)
				assertFits(t, got, sz.w, sz.h)
				text := ansi.Strip(got)
				for _, bad := range []string{"-150000µs", "Inf", "0000000000"} {
					if strings.Contains(text, bad) {
						t.Errorf("frame shows %q", bad)
					}
				}
				// 80 columns leave the fleet no room for latency.
				if (screen == "detail" || sz.w >= 120) && !strings.Contains(text, "!-150ms") {
					t.Errorf("the negative latency is not shown marked (!-150ms):\n%s", text)
				}
				uitest.Golden(t, name, got)
			})
		}
	}
}
