package history

import (
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// TestProviderAsksOnlyForGraphedRoles: a feature histogram is never drawn,
// so it costs no range query; the step is never finer than minStep.
func TestProviderAsksOnlyForGraphedRoles(t *testing.T) {
	src := &fakeRange{}
	p := NewProvider(src, []Query{
		{Role: fleet.RoleRequestRate, Expr: "rate"},
		{Role: fleet.RoleFeatureBuckets, Expr: "buckets"},
	}, time.Minute, time.Second)
	w, err := p.History(time.Hour, 600)
	if err != nil {
		t.Fatal(err)
	}
	if w.Step != time.Minute {
		t.Errorf("step %s, want the minimum step 1m", w.Step)
	}
	if p.QueriesSent() != 1 || len(src.asked) != 1 {
		t.Errorf("%d range queries (%d asked), want 1: the request rate only", p.QueriesSent(), len(src.asked))
	}
}
