package judge

import (
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// Which inputs make a value old, the one rule every screen dims by: a
// failed query of the value's role (its last good values are held), a
// metrics source down (every live value), the registry down (baselines
// and lineage only); since is the oldest last success, zero when an
// input never succeeded.
func TestWhichRolesMakeValuesStale(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	q := func(role fleet.Role, good bool, last time.Time) fleet.QueryStatus {
		return fleet.QueryStatus{Name: string(role), Role: role, Source: "prom", OK: good, LastSuccess: last}
	}
	prom := fleet.SourceStatus{Name: "prom", Kind: "prometheus", OK: true, LastSuccess: at}
	reg := fleet.SourceStatus{Name: "mlflow", Kind: "mlflow", OK: true, LastSuccess: at}
	snap := func(srcs []fleet.SourceStatus, qs ...fleet.QueryStatus) *fleet.Snapshot {
		return &fleet.Snapshot{TakenAt: at, Sources: srcs, Queries: qs}
	}

	s := snap([]fleet.SourceStatus{prom, reg}, q(fleet.RoleErrorRatio, false, at.Add(-90*time.Second)), q(fleet.RoleRequestRate, true, at))
	if st := RolesStale(s, fleet.RoleErrorRatio); !st.Stale || !st.Since.Equal(at.Add(-90*time.Second)) || len(st.Queries) != 1 || len(st.Sources) != 0 {
		t.Errorf("failed error-ratio query: %+v", st)
	}
	if st := RolesStale(s, fleet.RoleRequestRate); st.Stale {
		t.Errorf("a good query's values stale: %+v", st)
	}
	if st := RolesStale(s, fleet.RoleRequestRate, fleet.RoleErrorRatio); !st.Stale {
		t.Error("a cell reading two roles, one failed, is not stale")
	}
	if st := RegistryStale(s); st.Stale {
		t.Errorf("registry stale on a failed metrics query: %+v", st)
	}

	// The metrics source down: every role, oldest success first; a query
	// that never succeeded makes it "never fetched".
	down := prom
	down.OK, down.LastSuccess = false, at.Add(-2*time.Minute)
	s = snap([]fleet.SourceStatus{down, reg}, q(fleet.RoleRequestRate, false, at.Add(-time.Minute)))
	if st := RolesStale(s, fleet.RoleLatencyP95); !st.Stale || !st.Since.Equal(at.Add(-2*time.Minute)) || len(st.Sources) != 1 {
		t.Errorf("source down: %+v", st)
	}
	s = snap([]fleet.SourceStatus{down}, q(fleet.RoleRequestRate, false, time.Time{}))
	if st := RolesStale(s, fleet.RoleRequestRate); !st.Stale || !st.Since.IsZero() {
		t.Errorf("never fetched: %+v", st)
	}

	// The registry down: baselines are old, live figures are not.
	regDown := reg
	regDown.OK, regDown.LastSuccess = false, at.Add(-5*time.Minute)
	s = snap([]fleet.SourceStatus{prom, regDown}, q(fleet.RoleRequestRate, true, at))
	if st := RolesStale(s, fleet.RoleRequestRate, fleet.RolePerformance); st.Stale {
		t.Errorf("registry down made live values stale: %+v", st)
	}
	if st := RegistryStale(s); !st.Stale || !st.Since.Equal(at.Add(-5*time.Minute)) {
		t.Errorf("registry down: %+v", st)
	}

	// A source a query names feeds metrics whatever its kind; without
	// queries, a source that is not a registry does.
	odd := fleet.SourceStatus{Name: "metrics-via-mlflow", Kind: "mlflow", OK: false}
	s = snap([]fleet.SourceStatus{odd}, fleet.QueryStatus{Role: fleet.RoleRequestRate, Source: "metrics-via-mlflow", OK: true, LastSuccess: at})
	if !RolesStale(s, fleet.RoleRequestRate).Stale || RegistryStale(s).Stale {
		t.Error("a source named by a query is not a registry")
	}
	if st := RolesStale(snap([]fleet.SourceStatus{down}), fleet.RoleRequestRate); !st.Stale {
		t.Error("no queries listed: a prometheus source down is not stale")
	}
	if st := RolesStale(nil, fleet.RoleRequestRate); st.Stale {
		t.Error("no snapshot is stale")
	}

	// Drift is as old as its scores and the histograms behind them.
	s = snap([]fleet.SourceStatus{prom}, q(fleet.RoleFeatureBucketsRef, false, at.Add(-time.Hour)))
	if !RolesStale(s, DriftRoles...).Stale || RolesStale(s, fleet.RoleRequestRate).Stale {
		t.Error("a failed reference-histogram query does not make drift (only) stale")
	}
}
