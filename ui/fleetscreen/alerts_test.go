package fleetscreen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// alertsScreen is the fleet screen over snap, with glyphs g.
func alertsScreen(t testing.TB, snap fleet.Snapshot, g themes.Glyphs, w, h int) *Model {
	t.Helper()
	c := uitest.Common("dark")
	c.Glyphs = g
	c.Snapshot = &snap
	m := New(c)
	m.Update(common.HistoryMsg{Window: uitest.History(trendRange, sparkWidth)})
	m.SetSize(w, h)
	return m
}

func TestViewGoldenAlerts(t *testing.T) {
	for _, sz := range uitest.Sizes {
		name := fmt.Sprintf("fleet_alerts_dark_%dx%d", sz[0], sz[1])
		m := alertsScreen(t, uitest.AlertsSnapshot(), themes.Unicode, sz[0], sz[1])
		v := m.View()
		checkSize(t, v, sz[0], sz[1])
		uitest.Golden(t, name, v)
	}
}

// The bell counts firing alerts only; a model without any shows nothing;
// the column exists only with an alert source.
func TestAlertsColumn(t *testing.T) {
	for _, g := range []themes.Glyphs{themes.Unicode, themes.ASCII} {
		m := alertsScreen(t, uitest.AlertsSnapshot(), g, 200, 50)
		if l := lineOf(m, "payments-fraud"); !strings.Contains(l, g.Bell+"2 ") {
			t.Errorf("payments-fraud: want %q in %q", g.Bell+"2", l)
		}
		for _, name := range []string{"image-tagger", "credit-risk", "eta-predictor"} {
			if l := lineOf(m, name); strings.Contains(l, g.Bell+"1") || strings.Contains(l, g.Bell+"2") {
				t.Errorf("%s has no firing alert, but: %q", name, l)
			}
		}
		if h := plainLines(m)[0]; !strings.Contains(h, g.Bell) {
			t.Errorf("header without the bell: %q", h)
		}
		for w := 60; w <= 250; w += 9 {
			m.SetSize(w, 30)
			checkSize(t, m.View(), w, 30)
		}
	}
	plain := alertsScreen(t, uitest.Snapshot(), themes.Unicode, 200, 50)
	if h := plainLines(plain)[0]; strings.Contains(h, "🔔") {
		t.Errorf("a bell column without an alert source: %q", h)
	}
}

// A failed read shows every model's alerts as unknown, never as none.
func TestAlertsUnknown(t *testing.T) {
	m := alertsScreen(t, uitest.AlertsUnknownSnapshot(), themes.Unicode, 200, 50)
	for _, name := range []string{"payments-fraud", "eta-predictor"} {
		if l := lineOf(m, name); !strings.Contains(l, name+"  ◌") && !strings.Contains(l, " ◌ ") {
			t.Errorf("%s: want the unknown glyph in %q", name, l)
		}
	}
}

// s reaches the alerts column with an alert source, most firing first.
func TestSortByAlerts(t *testing.T) {
	m := alertsScreen(t, uitest.AlertsSnapshot(), themes.Unicode, 200, 50)
	press(m, "s", "s")
	if m.sort != col("ALERTS") {
		t.Fatalf("s s: sort = %v, want alerts", m.sort)
	}
	if got := order(m); got[0] != "payments-fraud" {
		t.Errorf("by alerts: %v", got)
	}
}
