package poll

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// A query the source did not send is neither an answer nor a failure: with
// the others failing the source is not OK and keeps its last success, the
// query leaves the snapshot's list and its old values go.
func TestNotAskedIsNoAnswer(t *testing.T) {
	clock := newFakeClock()
	down, skipped := false, false
	m := &fakeMetrics{answer: func(_ context.Context, expr string) (model.Vector, []string, error) {
		switch {
		case expr == "errors" && skipped:
			return nil, nil, fmt.Errorf("%w: no such role", ErrNotAsked)
		case down:
			return nil, nil, errors.New("connection refused")
		}
		return model.Vector{sample(0.5, "model", "fraud", "version", "3")}, nil, nil
	}}
	p := New(Options{Metrics: m, Now: clock.Now, Jitter: func() float64 { return 0 }, Queries: []Query{
		{Name: "rps", Role: fleet.RoleRequestRate, Expr: "rps"},
		{Name: "errors", Role: fleet.RoleErrorRatio, Expr: "errors"},
	}})
	ctx := context.Background()
	first := p.PollOnce(ctx).Sources[0]
	if !first.OK {
		t.Fatalf("up: %+v", first)
	}

	skipped = true
	clock.Advance(DefaultRefresh)
	snap := p.PollOnce(ctx)
	if len(snap.Queries) != 1 || snap.Queries[0].Name != "rps" {
		t.Errorf("queries %+v, want rps alone", snap.Queries)
	}
	if v := snap.Models[0].Version("3"); v == nil || v.ErrorRate != nil {
		t.Errorf("a role not asked kept its old values: %+v", v)
	}

	down = true
	clock.Advance(DefaultRefresh)
	st := p.PollOnce(ctx).Sources[0]
	if st.OK || st.Error == "" || !st.LastSuccess.Equal(clock.Now().Add(-DefaultRefresh)) {
		t.Errorf("down with one query not asked: %+v", st)
	}
}
