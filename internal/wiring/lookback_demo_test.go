package wiring

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/testenv/demorig"
)

// Over the demo fleet on a hand-advanced clock (computed drift, quality
// estimates, a registry), a look back to T1 made two minutes later says
// what the poller said at T1, apart from what is about when a snapshot
// is made (see cmd/mltop's TestSnapshotAtEqualsSnapshotTakenThen) and the
// scrape targets, which are today's and left out of a look back.
func TestSnapshotAtOverTheDemoEqualsThen(t *testing.T) {
	rig := demorig.Start(t, 8)
	for range 36 {
		rig.Step(t)
	}
	opts := rigOptions(t, rig, "psi")
	p := poll.New(opts)
	then := p.PollOnce(context.Background())
	t1 := then.TakenAt
	for range 12 {
		rig.Step(t)
	}
	now := p.PollOnce(context.Background())

	a := &App{Config: DemoConfig(rig.Fleet), Poller: p}
	past, err := a.SnapshotAt(context.Background(), t1)
	if err != nil {
		t.Fatal(err)
	}
	if !past.TakenAt.Equal(t1) || past.Live() {
		t.Fatalf("look back taken %v live %v", past.TakenAt, past.Live())
	}
	want, got, later := demoDoc(t, then), demoDoc(t, past), demoDoc(t, now)
	if !reflect.DeepEqual(got, want) {
		a, _ := json.MarshalIndent(want, "", " ")
		b, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("the look back to %v differs from the snapshot then\nthen:\n%s\nlook back:\n%s", t1, a, b)
	}
	delete(later, "taken_at")
	delete(want, "taken_at")
	if reflect.DeepEqual(later, want) {
		t.Error("the demo did not change in two minutes: the comparison proves nothing")
	}
}

// demoDoc is s's JSON without what is about when it was made.
func demoDoc(t *testing.T, s any) map[string]any {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "live")
	delete(doc, "look_back")
	for _, key := range []string{"sources", "queries"} {
		list, _ := doc[key].([]any)
		for _, item := range list {
			m, _ := item.(map[string]any)
			for _, f := range []string{"latency_ms", "duration_ms", "backend", "targets", "warnings"} {
				delete(m, f)
			}
		}
	}
	return doc
}
