package fleetscreen

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/uitest"
)

func TestModelsTheRegistryJoinLeftOut(t *testing.T) {
	rps := 3.0
	s := uitest.Snapshot()
	s.Models = append(s.Models,
		fleet.Model{Name: "metrics-only", Serving: true, Versions: []fleet.Version{{Version: "1", Serving: true, RequestsPerSecond: &rps}}},
		fleet.Model{Name: "ledger", ServingName: "ledger-svc", Serving: true, InRegistry: true,
			Versions: []fleet.Version{{Version: "7", Serving: true, InRegistry: true, RequestsPerSecond: &rps}}})
	c := uitest.Common("dark")
	c.Snapshot = &s
	m := New(c)
	m.SetSize(200, 40)
	if l := lineOf(m, "metrics-only"); !strings.Contains(l, "not in registry") {
		t.Errorf("metrics-only model line: %q", l)
	}
	if l := lineOf(m, "ledger "); !strings.Contains(l, "metrics as ledger-svc") {
		t.Errorf("mapped model line: %q", l)
	}

	// Without a registry, not being in it says nothing.
	s.Sources = s.Sources[:1]
	m = New(c)
	m.SetSize(200, 40)
	if l := lineOf(m, "metrics-only"); strings.Contains(l, "registry") {
		t.Errorf("no registry configured, yet: %q", l)
	}
}
