package detailscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func openWith(t testing.TB, snap fleet.Snapshot, model string, w, h int) *Model {
	t.Helper()
	m, c, _ := open(t, "dark", model, w, h)
	c.Snapshot = &snap
	m.Update(common.SnapshotMsg{Snapshot: snap})
	withHistory(m, c, 60)
	return m
}

func TestGoldenAlerts(t *testing.T) {
	for _, model := range []string{"payments-fraud", "credit-risk"} {
		for _, sz := range uitest.Sizes {
			name := fmt.Sprintf("alerts-%s-dark-%dx%d", model, sz[0], sz[1])
			m := openWith(t, uitest.AlertsSnapshot(), model, sz[0], sz[1])
			uitest.Golden(t, name, m.View())
		}
	}
}

// The model's alerts show beside its health, which they do not change;
// a failed read says unknown; without an alert source nothing is said.
func TestAlertLines(t *testing.T) {
	v := ansi.Strip(openWith(t, uitest.AlertsSnapshot(), "payments-fraud", 200, 50).View())
	for _, want := range []string{"🔔 firing ModelErrorRatioHigh v8 · critical · 12m · error ratio 5.2% above 2% for 10m", "🔔 firing ModelLatencyP95High v8"} {
		if !strings.Contains(v, want) {
			t.Errorf("want %q in:\n%s", want, v)
		}
	}
	v = ansi.Strip(openWith(t, uitest.AlertsSnapshot(), "credit-risk", 200, 50).View())
	if !strings.Contains(v, "॥ silenced ModelQualityDrop v12 · warning · 3h · by ana until 05:00: deploy of v12 under way") {
		t.Errorf("who silenced it:\n%s", v)
	}
	v = ansi.Strip(openWith(t, uitest.AlertsSnapshot(), "eta-predictor", 200, 50).View())
	if !strings.Contains(v, "no alert firing, pending or silenced") {
		t.Errorf("no alerts:\n%s", v)
	}
	v = ansi.Strip(openWith(t, uitest.AlertsUnknownSnapshot(), "eta-predictor", 200, 50).View())
	if !strings.Contains(v, "alerts unknown: connection refused") || strings.Contains(v, "no alert firing") {
		t.Errorf("a failed read must read as unknown:\n%s", v)
	}
	v = ansi.Strip(openWith(t, uitest.Snapshot(), "eta-predictor", 200, 50).View())
	if strings.Contains(v, "alert") {
		t.Errorf("alerts said without an alert source:\n%s", v)
	}
}

// a asks for the model's alerts screen.
func TestAlertsKey(t *testing.T) {
	m := openWith(t, uitest.AlertsSnapshot(), "payments-fraud", 120, 40)
	_, cmd := m.Update(uitest.Press("a"))
	if cmd == nil {
		t.Fatal("a did nothing")
	}
	if msg, ok := cmd().(common.OpenAlertsMsg); !ok || msg.Model != "payments-fraud" {
		t.Errorf("a: %#v", cmd())
	}
}

func TestHostileAlertLines(t *testing.T) {
	snap := uitest.AlertsSnapshot()
	for k := range snap.Models[0].Alerts {
		a := &snap.Models[0].Alerts[k]
		a.Name += uitest.Hostile
		a.Summary += uitest.Hostile
		a.Severity += uitest.Hostile
	}
	if r, bad := uitest.TerminalActs(openWith(t, snap, snap.Models[0].Name, 200, 50).View()); bad {
		t.Fatalf("draws %U", r)
	}
	unknown := uitest.AlertsUnknownSnapshot()
	unknown.Alerts.Error = uitest.Hostile
	if r, bad := uitest.TerminalActs(openWith(t, unknown, "eta-predictor", 200, 50).View()); bad {
		t.Fatalf("draws %U", r)
	}
}

// A model whose alerts are nil (not joined) reads as unknown even when the
// source answered, as the fleet's bell column reads it: never "none".
func TestAlertLinesNilIsUnknown(t *testing.T) {
	snap := uitest.AlertsSnapshot()
	for i := range snap.Models {
		if snap.Models[i].Name == "eta-predictor" {
			snap.Models[i].Alerts = nil
		}
	}
	v := ansi.Strip(openWith(t, snap, "eta-predictor", 200, 50).View())
	if !strings.Contains(v, "alerts unknown") || strings.Contains(v, "no alert firing") {
		t.Errorf("nil alerts must read as unknown:\n%s", v)
	}
}
