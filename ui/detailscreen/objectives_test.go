package detailscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/uitest"
)

// The findings of the service-level checks open the detail screen like
// every other: the version's latency objective and burn rate, the model's
// silence.
func TestGoldenObjectives(t *testing.T) {
	for _, model := range []string{"payments-fraud", "search-ranker"} {
		for _, sz := range [][2]int{{80, 24}, {200, 50}} {
			name := fmt.Sprintf("%s-objectives-dark-%dx%d", model, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				m, c, _ := open(t, "dark", model, sz[0], sz[1])
				s := uitest.ObjectivesSnapshot()
				c.Snapshot = &s
				withHistory(m, c, 180)
				view := m.View()
				uitest.CheckSize(t, view, sz[0], sz[1])
				uitest.Golden(t, name, view)
				plain := uitest.Plain(m)
				want := map[string]string{
					"payments-fraud": "v8 p95 objective: 40.0% of requests slower than 250ms (> 5%)",
					"search-ranker":  "silent: 6.8k req/s, 8% of last week's 90k req/s",
				}[model]
				if sz[0] == 200 && !strings.Contains(plain, want) {
					t.Errorf("no %q in\n%s", want, plain)
				}
			})
		}
	}
}
