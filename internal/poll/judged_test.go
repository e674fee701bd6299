package poll

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// Every snapshot the poller publishes is judged with its sources' status:
// while the error ratio query fails, the version that looked healthy is
// "unknown (data 10s old)", never ✔, and one good refresh brings ✔ back.
func TestStaleQueryIsNeverHealthy(t *testing.T) {
	clock := newFakeClock()
	var failing atomic.Bool
	src := &fakeMetrics{answer: func(_ context.Context, expr string) (model.Vector, []string, error) {
		if expr == string(fleet.RoleErrorRatio) {
			if failing.Load() {
				return nil, nil, errRefused
			}
			return model.Vector{sample(0.001, "model", "m", "version", "1")}, nil, nil
		}
		return model.Vector{sample(10, "model", "m", "version", "1")}, nil, nil
	}}
	p := New(Options{Metrics: src, Now: clock.Now, Refresh: 5 * time.Second,
		Queries: roleQueries(fleet.RoleRequestRate, fleet.RoleErrorRatio)})
	status := func() (fleet.Status, string) {
		s := p.PollOnce(context.Background())
		m := findModel(t, s.Models, "m")
		msg := ""
		if len(m.Health.Findings) > 0 {
			msg = m.Health.Findings[0].Message
		}
		return m.Health.Status, msg
	}
	if st, msg := status(); st != fleet.StatusOK {
		t.Fatalf("fresh: %v %q", st, msg)
	}
	failing.Store(true)
	clock.Advance(5 * time.Second)
	status()
	clock.Advance(5 * time.Second)
	if st, msg := status(); st != fleet.StatusUnknown || msg != "unknown (data 10s old)" {
		t.Errorf("error ratio failing for 10s: %v %q", st, msg)
	}
	failing.Store(false)
	clock.Advance(time.Minute) // past any backoff
	if st, msg := status(); st != fleet.StatusOK {
		t.Errorf("recovered: %v %q", st, msg)
	}
}
