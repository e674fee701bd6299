package detailscreen

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// TestGraphsByServingName: a model joined under its registered name keeps
// its series under the model label in the metrics.
func TestGraphsByServingName(t *testing.T) {
	c := uitest.Common("dark")
	s := uitest.SnapshotRegisteredAs("credit-risk", "credit")
	c.Snapshot = &s
	c.History = &uitest.Provider{}
	m := New(c, "credit")
	m.SetSize(200, 50)
	m.Update(common.HistoryMsg{Model: "credit", Window: uitest.History(c.Range, 100)})
	if v := uitest.Plain(m); !strings.Contains(v, "┤") || strings.Contains(v, "no data") || strings.Contains(v, "loading") {
		t.Errorf("graphs not drawn from the serving name's series:\n%s", v)
	}
}
