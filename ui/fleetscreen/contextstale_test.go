package fleetscreen

import (
	"slices"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// In every context's fleet at once (:ctx all), a context whose server
// fails dims its own rows, not the rows of a context whose reads are fresh.
func TestMergedRowsAreStaleByTheirOwnContext(t *testing.T) {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	model := func(ctx, name string) fleet.Model {
		return fleet.Model{Name: ctx + "/" + name, Context: ctx, Serving: true, Versions: []fleet.Version{{Version: "1"}}}
	}
	s := fleet.Snapshot{
		TakenAt: now,
		Sources: []fleet.SourceStatus{
			{Name: "prod prometheus", Kind: "prometheus", OK: true, LastSuccess: now},
			{Name: "staging prometheus", Kind: "prometheus", Error: "connection refused", LastSuccess: now.Add(-30 * time.Second)},
		},
		Queries: []fleet.QueryStatus{
			{Name: "request_rate", Role: fleet.RoleRequestRate, Source: "prod prometheus", OK: true, LastSuccess: now},
			{Name: "request_rate", Role: fleet.RoleRequestRate, Source: "staging prometheus", LastSuccess: now.Add(-30 * time.Second)},
		},
		Models: []fleet.Model{model("prod", "fraud"), model("staging", "churn")},
	}
	m := screenOver(t, s, 160, 20)
	col := colID(-1)
	for id := range fleetColumns {
		if slices.Contains(fleetColumns[id].roles, fleet.RoleRequestRate) && !fleetColumns[id].history {
			col = colID(id)
			break
		}
	}
	if col < 0 {
		t.Fatal("no column reads the request rate")
	}
	if !m.stale[col].Stale {
		t.Error("the merged column does not say some of its values are stale")
	}
	for i := range m.entries {
		e := &m.entries[i]
		if got, want := m.cellStale(e, col), e.m.Context == "staging"; got != want {
			t.Errorf("%s: stale %v, want %v", e.m.Name, got, want)
		}
	}
}
