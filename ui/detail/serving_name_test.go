package detail

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
	s := uitest.Snapshot()
	for i := range s.Models {
		if s.Models[i].Name == "credit-risk" {
			s.Models[i].Name, s.Models[i].ServingName = "credit", "credit-risk"
		}
	}
	c.Snapshot = &s
	c.History = &fakeProvider{}
	m := New(c, "credit")
	m.SetSize(200, 50)
	m.Update(common.HistoryMsg{Model: "credit", Window: uitest.History(c.Range, 100)})
	if v := plain(m); !strings.Contains(v, "┤") || strings.Contains(v, "no data") || strings.Contains(v, "loading") {
		t.Errorf("graphs not drawn from the serving name's series:\n%s", v)
	}
}
