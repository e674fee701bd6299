package fleetscreen

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/ui/uitest"
)

// TestWarmingUpRateIsMarked: a version younger than the rate window shows
// its rate dimmed behind "~", or "warm" where both do not fit; others are
// unchanged.
func TestWarmingUpRateIsMarked(t *testing.T) {
	s := uitest.Snapshot()
	huge := 123456.0
	var eta string
	for i := range s.Models {
		switch s.Models[i].Name {
		case "eta-predictor":
			s.Models[i].Versions[0].WarmingUp = true
			eta = "~" + human.Rate(*s.Models[i].Versions[0].RequestsPerSecond)
		case "demand-forecast":
			s.Models[i].Versions[0].WarmingUp = true
			s.Models[i].Versions[0].RequestsPerSecond = &huge
		}
	}
	// From 120 columns: narrower, the REQ/S column is dropped.
	for _, w := range []int{120, 200} {
		c := uitest.Common("dark")
		c.Snapshot = &s
		m := New(c)
		m.SetSize(w, 30)
		checkSize(t, m.View(), w, 30)
		if l := lineOf(m, "eta-predictor"); !strings.Contains(l, eta) {
			t.Errorf("%d columns: eta-predictor lacks %s: %q", w, eta, l)
		}
		if l := lineOf(m, "demand-forecast"); !strings.Contains(l, "warm") || strings.Contains(l, "123") {
			t.Errorf("%d columns: demand-forecast should say warm: %q", w, l)
		}
		if l := lineOf(m, "payments-fraud"); strings.Contains(l, "~") || strings.Contains(l, "warm") {
			t.Errorf("%d columns: a settled version is marked: %q", w, l)
		}
	}
}

// TestWarmingUpHealthIsDrawn: the judge's unknown health for a version
// warming up is drawn as unknown, with its reason in the WHY column.
func TestWarmingUpHealthIsDrawn(t *testing.T) {
	s := uitest.Snapshot()
	for i := range s.Models {
		if s.Models[i].Name == "eta-predictor" {
			s.Models[i].Versions[0].WarmingUp = true
			judge.Model(&s.Models[i], judge.Default())
		}
	}
	c := uitest.Common("dark")
	c.Snapshot = &s
	m := New(c)
	m.SetSize(200, 30)
	l := lineOf(m, "eta-predictor")
	if !strings.Contains(l, c.Glyphs.Unknown+" eta-predictor") || !strings.Contains(l, "warming up (rates settle within 1m)") {
		t.Errorf("warming-up version drawn as %q", l)
	}
}
