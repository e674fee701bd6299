package wiring

import (
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// A service-level check that is off sends no query; one that is on sends
// its queries on their own schedule, whatever the fleet's size.
func TestObjectiveQueries(t *testing.T) {
	every := func(cfg *config.Config) map[fleet.Role]time.Duration {
		t.Helper()
		qs, err := pollQueries(cfg)
		if err != nil {
			t.Fatal(err)
		}
		out := map[fleet.Role]time.Duration{}
		for _, q := range qs {
			switch q.Role {
			case fleet.RoleLatencyBuckets, fleet.RoleRequestsLastWeek, fleet.RoleRequestsHourBefore, fleet.RoleErrorRatioPage, fleet.RoleErrorRatioTicket:
				out[q.Role] = q.Every
			}
		}
		return out
	}
	cfg := config.Default()
	got := every(cfg) // silent_share is on by default; the others are off
	if len(got) != 2 || got[fleet.RoleRequestsLastWeek] != time.Minute || got[fleet.RoleRequestsHourBefore] != time.Minute {
		t.Errorf("defaults: %v, want last week and the hour before every minute", got)
	}
	cfg.Thresholds.LatencyP95 = 300 * time.Millisecond
	cfg.Thresholds.Availability = 0.999
	got = every(cfg)
	want := map[fleet.Role]time.Duration{
		fleet.RoleLatencyBuckets: 0, fleet.RoleRequestsLastWeek: time.Minute, fleet.RoleRequestsHourBefore: time.Minute,
		fleet.RoleErrorRatioPage: 30 * time.Second, fleet.RoleErrorRatioTicket: 3 * time.Minute,
	}
	if len(got) != len(want) {
		t.Errorf("all on: %v, want %v", got, want)
	}
	for r, d := range want {
		if e, ok := got[r]; !ok || e != d {
			t.Errorf("%s every %v (sent %v), want %v", r, e, ok, d)
		}
	}
	cfg.Thresholds.SilentShare = 0
	if got = every(cfg); len(got) != 3 {
		t.Errorf("silent off: %v", got)
	}
	// Without today's request rate every model would look stopped.
	cfg.Thresholds.SilentShare = 0.1
	cfg.Prometheus.Queries = map[string]string{"request_rate": ""}
	if got = every(cfg); got[fleet.RoleRequestsHourBefore] != 0 || len(got) != 3 {
		t.Errorf("no request_rate: %v, want no silent queries", got)
	}
}
