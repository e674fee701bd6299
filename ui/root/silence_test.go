package root

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/dialog"
	"github.com/mltop/mltop/ui/uitest"
)

// silenceRoot is actionRoot with the silence actions listed as the
// executor lists them: missing says why they cannot run ("" = an
// Alertmanager is configured).
func silenceRoot(t *testing.T, w, h int, missing string, tweak func(*common.Common)) (*Model, *fakeExecutor) {
	t.Helper()
	m, fx := actionRoot(t, w, h, tweak)
	fx.specs = append(fx.specs,
		actions.Spec{Action: actions.Silence, Key: "M", Title: "Silence alerts", Kind: "alertmanager", Role: "operator", Missing: missing},
		actions.Spec{Action: actions.Unsilence, Title: "Expire silence", Kind: "alertmanager", Role: "operator", Missing: missing})
	return m, fx
}

// M on the fleet's selection, and on a detail screen, plans a silence of
// that model for 2h and opens its dialog with the length picker; the
// unsilence, which has no key, is in neither the key line nor the help.
func TestSilenceKey(t *testing.T) {
	m, fx := silenceRoot(t, 200, 50, "", nil)
	if line := ansi.Strip(keyLineText(m)); !strings.Contains(line, "M silence alerts") || strings.Contains(line, "expire") {
		t.Errorf("key line %q", line)
	}
	if h := helpText(m); !strings.Contains(h, "M silence alerts\n") || strings.Contains(h, "xpire") {
		t.Errorf("help:\n%s", h)
	}
	deliver(m, press(m, "M"))
	if plans, _ := fx.counts(); plans != 1 || fx.planned[0].Action != actions.Silence || fx.planned[0].Model != "payments-fraud" ||
		fx.planned[0].For != 2*time.Hour || fx.planned[0].Actor.User != "ana" {
		t.Fatalf("M planned %+v", fx.planned)
	}
	got := ansi.Strip(view(m))
	for _, w := range []string{"Silence alerts payments-fraud", `silence model="payments-fraud"`, "for 2h, until",
		"[2h]", "[ Silence alerts ]"} {
		if !strings.Contains(got, w) {
			t.Errorf("dialog lacks %q:\n%s", w, got)
		}
	}
	m.Update(dialog.ArmedMsg{ID: m.act.dialog.ID()})
	typeText(m, "upstream outage")
	press(m, "tab", "tab", "right") // reason → Cancel → Silence alerts
	deliver(m, press(m, "enter"))
	if _, n := fx.counts(); n != 1 || fx.executed[0].For != 2*time.Hour || fx.executed[0].Reason != "upstream outage" {
		t.Fatalf("executed %+v", fx.executed)
	}
	press(m, "esc")
	m.Update(dialog.ArmedMsg{ID: m.act.dialog.ID()})
	press(m, "esc")

	press(m, "down", "enter") // image-tagger's detail
	deliver(m, press(m, "M"))
	if plans, _ := fx.counts(); plans != 2 || fx.planned[1].Model != "image-tagger" {
		t.Fatalf("M on the detail screen planned %+v", fx.planned)
	}
}

// Without an Alertmanager M is greyed, says how to configure one, and
// plans nothing; a viewer's M says the role.
func TestSilenceKeyGreyed(t *testing.T) {
	m, fx := silenceRoot(t, 200, 50, actions.NoAlertmanager, nil)
	line := keyLineText(m)
	if !strings.Contains(ansi.Strip(line), "M silence alerts") || strings.Contains(line, m.c.Theme.Key.Render("M")) {
		t.Errorf("M is not greyed in the key line: %q", ansi.Strip(line))
	}
	if h := helpText(m); !strings.Contains(h, "M silence alerts ("+actions.NoAlertmanager+")") {
		t.Errorf("help does not say why M is greyed:\n%s", h)
	}
	press(m, "M")
	if m.flash.text != actions.NoAlertmanager {
		t.Errorf("M without an Alertmanager says %q", m.flash.text)
	}
	v, vfx := silenceRoot(t, 200, 50, "", func(c *common.Common) { c.Role = "viewer" })
	press(v, "M")
	if want := "silence alerts needs the operator role; you have viewer"; v.flash.text != want {
		t.Errorf("a viewer's M says %q, want %q", v.flash.text, want)
	}
	if a, b := fx.counts(); a+b != 0 {
		t.Error("a greyed M asked for a plan")
	}
	if a, b := vfx.counts(); a+b != 0 {
		t.Error("a viewer's M asked for a plan")
	}
}

func TestSilenceDialogGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		m, _ := silenceRoot(t, sz[0], sz[1], "", nil)
		deliver(m, press(m, "M"))
		m.Update(dialog.ArmedMsg{ID: m.act.dialog.ID()})
		typeText(m, "upstream outage INC-42")
		v := view(m)
		assertFits(t, v, sz[0], sz[1])
		uitest.Golden(t, fmt.Sprintf("silence-dialog-dark-%dx%d", sz[0], sz[1]), v)
	}
}

// M on the alerts screen silences the alert under the cursor: its model
// label, version and name.
func TestSilenceKeyOnAnAlert(t *testing.T) {
	m, fx := silenceRoot(t, 200, 50, "", func(c *common.Common) {
		s := uitest.AlertsSnapshot()
		c.Snapshot = &s
	})
	typeText(m, ":alerts")
	press(m, "enter")
	if top := m.top(); top.Title() != "alerts" {
		t.Fatalf(":alerts opened %q", top.Title())
	}
	deliver(m, press(m, "M")) // the first line: payments-fraud's critical error alert
	if plans, _ := fx.counts(); plans != 1 {
		t.Fatalf("M planned %d times", plans)
	}
	if p := fx.planned[0]; p.Action != actions.Silence || p.Model != "payments-fraud" || p.Version != "8" || p.Alert != "ModelErrorRatioHigh" {
		t.Errorf("M on an alert planned %+v", p)
	}
}
