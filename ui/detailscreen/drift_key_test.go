package detailscreen

import (
	"testing"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func TestDriftKeyOpensDriftScreen(t *testing.T) {
	m, _, _ := open(t, "dark", "churn-predictor", 120, 40)
	_, cmd := m.Update(uitest.Press("d"))
	if cmd == nil {
		t.Fatal("d returned no command")
	}
	msg, ok := cmd().(common.OpenDriftMsg)
	if !ok || msg.Model != "churn-predictor" {
		t.Fatalf("d sent %#v, want OpenDriftMsg for churn-predictor", cmd())
	}
}
