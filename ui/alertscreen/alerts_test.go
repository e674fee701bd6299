package alertscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func screen(t testing.TB, snap fleet.Snapshot, model string, w, h int) *Model {
	t.Helper()
	c := uitest.Common("dark")
	c.Snapshot = &snap
	m := New(c, model)
	m.SetSize(w, h)
	return m
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		m.Update(uitest.Press(k))
	}
}

func plain(m *Model) string { return ansi.Strip(m.View()) }

func checkSize(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("%dx%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Fatalf("%dx%d: line %d is %d wide: %q", w, h, i, ansi.StringWidth(l), ansi.Strip(l))
		}
	}
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name  string
		snap  fleet.Snapshot
		model string
		keys  []string
	}{
		{"every", uitest.AlertsSnapshot(), "", nil},
		{"model-expanded", uitest.AlertsSnapshot(), "payments-fraud", []string{"enter"}},
		{"silenced-expanded", uitest.AlertsSnapshot(), "", []string{"down", "down", "down", "enter"}},
		{"unknown", uitest.AlertsUnknownSnapshot(), "", nil},
		{"no-source", uitest.Snapshot(), "", nil},
	}
	for _, c := range cases {
		for _, sz := range uitest.Sizes {
			name := fmt.Sprintf("%s-dark-%dx%d", c.name, sz[0], sz[1])
			m := screen(t, c.snap, c.model, sz[0], sz[1])
			press(m, c.keys...)
			v := m.View()
			checkSize(t, v, sz[0], sz[1])
			uitest.Golden(t, name, v)
		}
	}
}

// Firing alerts come first, then pending, then suppressed; who silenced
// one is said, with until when and why.
func TestOrderAndSilence(t *testing.T) {
	m := screen(t, uitest.AlertsSnapshot(), "", 200, 50)
	var states []string
	for _, r := range m.rows {
		states = append(states, r.alert.State)
	}
	want := []string{"firing", "firing", "firing", "pending", "suppressed"}
	if strings.Join(states, ",") != strings.Join(want, ",") {
		t.Errorf("order %v, want %v", states, want)
	}
	v := plain(m)
	if !strings.Contains(v, "ana until 05:00: deploy of v12 under way") {
		t.Errorf("who silenced it is not said:\n%s", v)
	}
	if !strings.Contains(v, "Watchdog") || !strings.Contains(v, "payments-fraud v8") {
		t.Errorf("an alert without a model, or a model's version, is missing:\n%s", v)
	}
	// At 80 columns the silence takes the summary's place.
	m.SetSize(80, 24)
	if v := plain(m); !strings.Contains(v, "silenced   3h     ModelQualityDrop  credit-risk v12  ana until 05:00: deploy") {
		t.Errorf("at 80 columns who silenced it is not said:\n%s", v)
	}
}

// A model's screen lists only its alerts; o on an alert of the fleet's
// list opens its model.
func TestModelFilterAndOpen(t *testing.T) {
	m := screen(t, uitest.AlertsSnapshot(), "payments-fraud", 120, 40)
	if len(m.rows) != 2 {
		t.Fatalf("%d rows for payments-fraud", len(m.rows))
	}
	if v := plain(m); strings.Contains(v, "image-tagger") || strings.Contains(v, "Watchdog") {
		t.Errorf("another model's alert on payments-fraud's screen:\n%s", v)
	}
	all := screen(t, uitest.AlertsSnapshot(), "", 120, 40)
	_, cmd := all.Update(uitest.Press("o"))
	if cmd == nil {
		t.Fatal("o opened nothing")
	}
	if msg, ok := cmd().(common.OpenModelMsg); !ok || msg.Model != "payments-fraud" {
		t.Errorf("o: %#v", cmd())
	}
}

// The screen follows new snapshots, keeping the selected alert.
func TestFollowsSnapshots(t *testing.T) {
	m := screen(t, uitest.AlertsSnapshot(), "", 120, 40)
	press(m, "down", "down", "down")
	sel := m.rows[m.list.Sel].key
	again := uitest.AlertsSnapshot()
	again.Models[0].Alerts = again.Models[0].Alerts[1:] // one alert resolved, above the selection
	m.c.Snapshot = &again
	m.Update(common.SnapshotMsg{Snapshot: again})
	if m.rows[m.list.Sel].key != sel {
		t.Errorf("selection moved to %q", m.rows[m.list.Sel].alert.Name)
	}
	snap := uitest.AlertsUnknownSnapshot()
	m.c.Snapshot = &snap
	m.Update(common.SnapshotMsg{Snapshot: snap})
	if v := plain(m); !strings.Contains(v, "alerts unknown: connection refused") || strings.Contains(v, "no alert is firing") {
		t.Errorf("a failed read must read as unknown:\n%s", v)
	}
	snap = uitest.AlertsSnapshot()
	m.c.Snapshot = &snap
	m.Update(common.SnapshotMsg{Snapshot: snap})
	if len(m.rows) != 5 {
		t.Errorf("%d rows after recovery", len(m.rows))
	}
}

// What the alert source said reaches the terminal cleaned, folded or
// expanded.
func TestHostileAlertsAreDrawnCleaned(t *testing.T) {
	const h = uitest.Hostile
	snap := uitest.AlertsSnapshot()
	mangle := func(a *fleet.Alert) {
		a.Name += h
		a.Summary += h
		a.Description += h
		a.Severity += h
		a.Version += h
		a.Labels["x"+h] = h
		a.InhibitedBy = append(a.InhibitedBy, h)
		for i := range a.SilencedBy {
			a.SilencedBy[i].Author += h
			a.SilencedBy[i].Comment += h
			a.SilencedBy[i].ID += h
		}
	}
	for i := range snap.Models {
		snap.Models[i].Name += h
		for k := range snap.Models[i].Alerts {
			mangle(&snap.Models[i].Alerts[k])
		}
	}
	for k := range snap.Alerts.Unattached {
		mangle(&snap.Alerts.Unattached[k])
	}
	snap.Sources[len(snap.Sources)-1].Warnings = []string{h}
	for _, model := range []string{"", snap.Models[0].Name} {
		for _, w := range []int{80, 200} {
			m := screen(t, snap, model, w, 40)
			for range m.rows {
				press(m, "enter")
				if r, bad := uitest.TerminalActs(m.View()); bad {
					t.Fatalf("draws %U:\n%q", r, m.View())
				}
				press(m, "enter", "down")
			}
		}
	}
	bad := uitest.AlertsUnknownSnapshot()
	bad.Sources[len(bad.Sources)-1].Error = "refused: " + h
	if r, acts := uitest.TerminalActs(screen(t, bad, "", 120, 40).View()); acts {
		t.Fatalf("the error draws %U", r)
	}
}
