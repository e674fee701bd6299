package fleetscreen

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func TestSelectionMoves(t *testing.T) {
	m := newScreen(t, "dark", 120, 40)
	if m.Selected() != "payments-fraud" {
		t.Fatalf("initial selection %q", m.Selected())
	}
	press(m, "down", "j")
	if m.Selected() != "credit-risk" {
		t.Errorf("down j: %q", m.Selected())
	}
	press(m, "k")
	if m.Selected() != "image-tagger" {
		t.Errorf("k: %q", m.Selected())
	}
	press(m, "G")
	if m.Selected() != "search-ranker" {
		t.Errorf("G: %q", m.Selected())
	}
	press(m, "down")
	if m.Selected() != "search-ranker" {
		t.Errorf("down past the end: %q", m.Selected())
	}
	press(m, "g")
	if m.Selected() != "payments-fraud" {
		t.Errorf("g: %q", m.Selected())
	}
	press(m, "end")
	press(m, "home")
	if m.Selected() != "payments-fraud" {
		t.Errorf("end home: %q", m.Selected())
	}
	// The marker shows selection without colour.
	if l := lineOf(m, "payments-fraud"); !strings.HasPrefix(l, "▌") {
		t.Errorf("selected line lacks marker: %q", l)
	}
}

func TestEnterOpensSelectedModel(t *testing.T) {
	m := newScreen(t, "dark", 120, 40)
	press(m, "down", "down")
	cmd := press(m, "enter")
	if cmd == nil {
		t.Fatal("enter returned no command")
	}
	if msg, ok := cmd().(common.OpenModelMsg); !ok || msg.Model != "credit-risk" {
		t.Errorf("enter = %#v, want OpenModelMsg{credit-risk}", msg)
	}
}

// The selection follows its model when new data re-sorts the table.
func TestSelectionFollowsModelAcrossResorts(t *testing.T) {
	m := newScreen(t, "dark", 120, 40)
	press(m, "down", "down")
	if m.Selected() != "credit-risk" {
		t.Fatalf("selected %q", m.Selected())
	}
	s := uitest.Snapshot()
	s.TakenAt = at(5e9)
	for i := range s.Models {
		if s.Models[i].Name == "credit-risk" {
			// Fresh labels: credit-risk turns healthy and sorts lower.
			for k := range s.Models[i].Versions {
				age := 60.0
				s.Models[i].Versions[k].GroundTruth.LastLabelAgeSeconds = &age
			}
			fleet.Assess(&s.Models[i], fleet.DefaultThresholds)
		}
	}
	m.Update(common.SnapshotMsg{Snapshot: s})
	if m.Selected() != "credit-risk" {
		t.Errorf("selection moved to %q", m.Selected())
	}
	if got := order(m); got[2] == "credit-risk" {
		t.Fatalf("credit-risk did not move: %v", got)
	}
	if l := lineOf(m, "credit-risk"); !strings.HasPrefix(l, "▌") {
		t.Errorf("credit-risk line not marked: %q", l)
	}
	// The same happens on a sort change.
	press(m, "s")
	if m.Selected() != "credit-risk" {
		t.Errorf("after s: %q", m.Selected())
	}
}

func TestMouseClickSelectsAndSorts(t *testing.T) {
	m := newScreen(t, "dark", 120, 40)
	// Lines: 0 header, 1 payments-fraud, 2 image-tagger, 3 credit-risk v11, 4 v12.
	m.Update(tea.MouseClickMsg{X: 30, Y: 4, Button: tea.MouseLeft})
	if m.Selected() != "credit-risk" {
		t.Errorf("click on v12's line: %q", m.Selected())
	}
	m.Update(tea.MouseClickMsg{X: 30, Y: 30, Button: tea.MouseLeft})
	if m.Selected() != "credit-risk" {
		t.Errorf("click below the rows changed selection to %q", m.Selected())
	}
	x := strings.Index(plainLines(m)[0], "MODEL")
	m.Update(tea.MouseClickMsg{X: x, Y: 0, Button: tea.MouseLeft})
	if m.sort != col("MODEL") {
		t.Errorf("click on MODEL: sort = %v", m.sort)
	}
	m.Update(tea.MouseClickMsg{X: x, Y: 0, Button: tea.MouseLeft})
	if m.sort != col("MODEL") || !m.reverse {
		t.Errorf("second click: sort %v reverse %v", m.sort, m.reverse)
	}
}

// A tall fleet in a short screen: paging and the wheel keep the
// selection on screen.
func TestScrolling(t *testing.T) {
	c := uitest.Common("dark")
	s := uitest.Fleet(100)
	c.Snapshot = &s
	m := New(c)
	m.SetSize(120, 12)
	visible := func() {
		t.Helper()
		checkSize(t, m.View(), 120, 12)
		if lineOf(m, "▌") == "" {
			t.Fatalf("selection %q off screen (offset %d)", m.Selected(), m.offset)
		}
	}
	press(m, "pgdown")
	visible()
	if m.offset == 0 {
		t.Error("pgdown did not scroll")
	}
	press(m, "ctrl+d", "ctrl+d")
	visible()
	press(m, "end")
	visible()
	if m.Selected() != m.entries[m.view[len(m.view)-1]].m.Name {
		t.Errorf("end: %q", m.Selected())
	}
	press(m, "pgup", "ctrl+u")
	visible()
	press(m, "home")
	visible()
	if m.offset != 0 {
		t.Errorf("home: offset %d", m.offset)
	}
	for i := 0; i < 10; i++ {
		m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
		visible()
	}
	if m.offset != 30 {
		t.Errorf("10 wheel notches: offset %d, want 30", m.offset)
	}
	for i := 0; i < 20; i++ {
		m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
		visible()
	}
	if m.offset != 0 {
		t.Errorf("wheel up to the top: offset %d", m.offset)
	}
}

func TestKeysHelp(t *testing.T) {
	km := newScreen(t, "dark", 80, 24).Keys()
	var short []string
	for _, b := range km.ShortHelp() {
		short = append(short, b.Help().Key+" "+b.Help().Desc)
	}
	joined := strings.Join(short, ", ")
	for _, want := range []string{"enter detail", "d drift", "c compare", "s sort", "S reverse", "up", "down"} {
		if !strings.Contains(joined, want) {
			t.Errorf("short help %q lacks %q", joined, want)
		}
	}
	n := 0
	for _, col := range km.FullHelp() {
		n += len(col)
	}
	if n != 13 {
		t.Errorf("full help lists %d bindings, want 13", n)
	}
}

func ExampleModel_Selected() {
	m := New(uitest.Common("dark"))
	m.SetSize(120, 40)
	m.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	fmt.Println(m.Selected())
	// Output: image-tagger
}

// TestSelectionStaysOnTopUntilMoved: before the user moves, the cursor is
// on the worst model whatever re-sorts; after, it follows the chosen model.
func TestSelectionStaysOnTopUntilMoved(t *testing.T) {
	m := newScreen(t, "dark", 120, 40)
	worsen := func(name string) {
		s := uitest.Snapshot()
		for i := range s.Models {
			if s.Models[i].Name == name {
				v := &s.Models[i].Versions[0]
				bad := 0.5
				v.ErrorRate = &bad
				v.Performance = map[string]float64{"auc": 0.1}
				fleet.Assess(&s.Models[i], fleet.DefaultThresholds)
			}
		}
		m.Update(common.SnapshotMsg{Snapshot: s})
	}
	worsen("eta-predictor")
	if top := order(m)[0]; m.Selected() != top {
		t.Fatalf("unmoved cursor on %q, top row is %q", m.Selected(), top)
	}
	press(m, "down")
	chosen := m.Selected()
	worsen("demand-forecast")
	if m.Selected() != chosen {
		t.Fatalf("moved cursor jumped from %q to %q on re-sort", chosen, m.Selected())
	}
}

func TestDriftAndCompareKeys(t *testing.T) {
	m := newScreen(t, "dark", 120, 40)
	if msg := press(m, "d")(); msg != (common.OpenDriftMsg{Model: "payments-fraud"}) {
		t.Errorf("d = %#v", msg)
	}
	if msg := press(m, "c")(); msg != (common.OpenCompareMsg{Model: "payments-fraud"}) {
		t.Errorf("c = %#v", msg)
	}
}

// The root pins the model opened or acted on: the cursor stays on it when
// new data re-sorts, even if the user never moved it; a model not shown
// leaves the cursor where it is.
func TestPinKeepsCursorOnModel(t *testing.T) {
	m := newScreen(t, "dark", 120, 40)
	worsen := func(name string, at int64) {
		s := uitest.Snapshot()
		s.TakenAt = s.TakenAt.Add(time.Duration(at) * time.Second)
		for i := range s.Models {
			if s.Models[i].Name == name {
				v := &s.Models[i].Versions[0]
				bad := 0.5
				v.ErrorRate = &bad
				v.Performance = map[string]float64{"auc": 0.1}
				fleet.Assess(&s.Models[i], fleet.DefaultThresholds)
			}
		}
		m.Update(common.SnapshotMsg{Snapshot: s})
	}
	top := "image-tagger" // second row: the unmoved cursor is on the first
	m.Pin(top)
	if m.Selected() != top {
		t.Fatalf("Pin(%s) put the cursor on %q", top, m.Selected())
	}
	worsen("eta-predictor", 5)
	if order(m)[1] == top {
		t.Fatalf("eta-predictor did not sort above %s: %v", top, order(m))
	}
	if m.Selected() != top {
		t.Fatalf("pinned cursor moved from %q to %q on re-sort", top, m.Selected())
	}
	m.Pin("no-such-model")
	if m.Selected() != top {
		t.Errorf("pinning an unknown model moved the cursor to %q", m.Selected())
	}
	if err := m.SetFilter("team=risk"); err != nil {
		t.Fatal(err)
	}
	m.Pin("payments-fraud") // filtered out
	if m.Selected() != "credit-risk" {
		t.Errorf("pinning a hidden model: cursor on %q, want the one shown", m.Selected())
	}
	if err := m.SetFilter(""); err != nil {
		t.Fatal(err)
	}
	m.Pin("demand-forecast")
	worsen("search-ranker", 10)
	if m.Selected() != "demand-forecast" {
		t.Errorf("cursor on %q after re-sort, want demand-forecast", m.Selected())
	}
}

// A click chooses a model as a key press does: re-sorts keep the cursor on it.
func TestClickPinsSelection(t *testing.T) {
	m := newScreen(t, "dark", 120, 40)
	// Lines: 0 header, 1 payments-fraud, 2 image-tagger, 3 credit-risk v11.
	m.Update(tea.MouseClickMsg{X: 30, Y: 2, Button: tea.MouseLeft})
	if m.Selected() != "image-tagger" {
		t.Fatalf("click selected %q", m.Selected())
	}
	s := uitest.Snapshot()
	s.TakenAt = s.TakenAt.Add(5 * time.Second)
	for i := range s.Models {
		if s.Models[i].Name == "eta-predictor" {
			bad := 0.5
			s.Models[i].Versions[0].ErrorRate = &bad
			fleet.Assess(&s.Models[i], fleet.DefaultThresholds)
		}
	}
	m.Update(common.SnapshotMsg{Snapshot: s})
	if m.Selected() != "image-tagger" {
		t.Errorf("clicked model lost the cursor to %q on re-sort", m.Selected())
	}
}
