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

// A window of a past time ends there, is fetched whole, and leaves the
// shared window of the present as it was.
func TestProviderHistoryAtEndsInThePast(t *testing.T) {
	src := &fakeRange{}
	p := NewProvider(src, []Query{{Role: fleet.RoleRequestRate, Expr: "rate"}}, time.Minute, time.Second)
	end := time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC)
	w, err := p.HistoryAt(time.Hour, 60, end)
	if err != nil {
		t.Fatal(err)
	}
	if !w.End.Equal(end) || len(src.asked) != 1 || !src.asked[0][1].Equal(end) || !src.asked[0][0].Equal(end.Add(-59*time.Minute)) {
		t.Fatalf("window ends %v; asked %v; want the hour up to %v", w.End, src.asked, end)
	}
	k := Key{Role: fleet.RoleRequestRate, Model: "m", Version: "1"}
	if v := w.Values(k); len(v) != 60 || v[59] != float64(end.Unix()) {
		t.Errorf("values end %v, want the sample at %v", v[len(v)-1], end.Unix())
	}
	if p.QueriesSent() != 1 {
		t.Errorf("QueriesSent = %d, want the look back's query counted", p.QueriesSent())
	}
	live, _ := p.History(time.Hour, 60)
	if !live.End.After(end.Add(24 * time.Hour)) {
		t.Errorf("the present's window ends %v after a look back", live.End)
	}
}
