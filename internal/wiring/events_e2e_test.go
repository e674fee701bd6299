package wiring_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/rules"
)

// TestEventsFromARealPrometheus: a generated rule begins firing in a real
// Prometheus, and an action is in the audit log; the app's events for the
// model name both, oldest first, from ALERTS and the log.
func TestEventsFromARealPrometheus(t *testing.T) {
	prom, _ := startAlerting(t)
	a := alertingApp(t, prom.URL, "")
	from := time.Now().Add(-time.Minute)
	if err := audit.New(a.Config.Audit.Path).Append(audit.Record{Time: time.Now(), ID: "r1", State: audit.Succeeded,
		Action: "rollback", Model: "fraud", Actor: audit.Actor{User: "ana", Role: "operator"}}); err != nil {
		t.Fatal(err)
	}
	pollUntil(t, a, 90*time.Second, "firing on fraud", func(s fleet.Snapshot) bool {
		al := modelAlert(s, "fraud", rules.AlertErrorRatio)
		return al != nil && al.State == fleet.AlertFiring
	})
	// The firing series reaches the range query at its next step: ask
	// until it does (each ask is a new span, so none is served from the
	// cache).
	deadline := time.Now().Add(60 * time.Second)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		evs, err := a.Events.Events(context.Background(), "fraud", from, time.Now())
		if err != nil {
			t.Fatalf("events: %v", err)
		}
		var alert, action *fleet.Event
		for i := range evs {
			switch {
			case evs[i].Kind == fleet.EventAlert && strings.HasPrefix(evs[i].Text, rules.AlertErrorRatio+" firing on v7"):
				alert = &evs[i]
			case evs[i].Kind == fleet.EventAction:
				action = &evs[i]
			}
			if i > 0 && evs[i].Time.Before(evs[i-1].Time) {
				t.Fatalf("events out of order: %+v", evs)
			}
		}
		if alert != nil && action != nil {
			if action.Text != "rollback by ana: succeeded" || alert.Version != "7" || alert.Time.Before(from) {
				t.Errorf("action %+v, alert %+v", action, alert)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no alert and action events after a minute: %+v", evs)
		}
		<-tick.C
	}
}
