package judge

import (
	"math"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

func buckets(pairs ...float64) []fleet.Bucket {
	out := make([]fleet.Bucket, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, fleet.Bucket{Le: pairs[i], Count: pairs[i+1]})
	}
	return out
}

var inf = math.Inf(1)

// The share slower than the objective, worked by hand from cumulative
// bucket rates; interpolation is linear within the bucket, from 0 in the
// first, as histogram_quantile's.
func TestLatencyObjective(t *testing.T) {
	onBounds := buckets(0.1, 50, 0.25, 80, 0.3, 90, 0.5, 96, 1, 99, inf, 100)
	between := buckets(0.1, 50, 0.25, 80, 0.5, 96, 1, 99, inf, 100)
	cases := []struct {
		name    string
		t       time.Duration
		rps     *float64
		buckets []fleet.Bucket
		status  fleet.Status // of the version
		msg     string       // the latency finding's, "" for none
	}{
		// 1 − 90/100 = 10 %.
		{"on a bound, breached", 300 * time.Millisecond, ptr(100.0), onBounds, fleet.StatusWarn,
			"p95 objective: 10.0% of requests slower than 300ms (> 5%)"},
		// 1 − 96/100 = 4 % ≤ 5 %.
		{"on a bound, met", 500 * time.Millisecond, ptr(100.0), onBounds, fleet.StatusOK, ""},
		// 1 − 95/100 = 5 %: not more than 5 %.
		{"exactly 5 %", 500 * time.Millisecond, ptr(100.0), buckets(0.5, 95, inf, 100), fleet.StatusOK, ""},
		// In (250ms, 500ms]: 80 + 16 × (450−250)/(500−250) = 92.8, so 7.2 %.
		{"interpolated, breached", 450 * time.Millisecond, ptr(100.0), between, fleet.StatusWarn,
			"p95 objective: 7.2% of requests slower than 450ms (> 5%, interpolated in 250ms–500ms)"},
		// In (500ms, 1s]: 96 + 3 × 0.4/0.5 = 98.4, so 1.6 %.
		{"interpolated, met", 900 * time.Millisecond, ptr(100.0), between, fleet.StatusOK, ""},
		// In (0, 100ms]: 50 × 50/100 = 25, so 75 %.
		{"interpolated in the first bucket", 50 * time.Millisecond, ptr(100.0), between, fleet.StatusWarn,
			"p95 objective: 75.0% of requests slower than 50ms (> 5%, interpolated in 0ms–100ms)"},
		// Beyond 1s, the largest bound: at most 1 − 99/100 = 1 % slower.
		{"beyond the largest bound, met for sure", 2 * time.Second, ptr(100.0), between, fleet.StatusOK, ""},
		// At most 1 − 90/100 = 10 %: cannot tell.
		{"beyond the largest bound, cannot tell", 2 * time.Second, ptr(100.0), buckets(1, 90, inf, 100), fleet.StatusUnknown,
			"p95 objective 2s: 10.0% of requests slower than 1s, the histogram's largest bound; cannot tell above it"},
		{"only +Inf", 300 * time.Millisecond, ptr(100.0), buckets(inf, 100), fleet.StatusUnknown,
			"p95 objective 300ms: the latency histogram has no bucket but +Inf"},
		{"no histogram", 300 * time.Millisecond, ptr(5.0), nil, fleet.StatusUnknown, "p95 objective 300ms: no latency histogram"},
		{"no histogram, no requests", 300 * time.Millisecond, ptr(0.0), nil, fleet.StatusOK, ""},
		{"no requests in the window", 300 * time.Millisecond, ptr(0.0), buckets(0.3, 0, inf, 0), fleet.StatusOK, ""},
		{"no +Inf bucket: no total", 300 * time.Millisecond, ptr(100.0), buckets(0.1, 50, 0.5, 96), fleet.StatusOK, ""},
		{"off", 0, ptr(5.0), nil, fleet.StatusOK, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			th := fleet.DefaultThresholds
			th.LatencyP95 = c.t
			v := fleet.Version{Version: "1", Serving: true, RequestsPerSecond: c.rps, ErrorRate: ptr(0.0),
				Objectives: fleet.Objectives{LatencyBuckets: c.buckets}}
			m := fleet.Model{Name: "m", Versions: []fleet.Version{v}}
			Model(&m, cfgOf(th))
			checkFinding(t, m.Versions[0].Health, fleet.CheckLatency, c.status, c.msg)
			if m.Health.Status != c.status {
				t.Errorf("model %v, want %v: a version that cannot be judged keeps the model from ✔", m.Health.Status, c.status)
			}
		})
	}
}

// checkFinding wants health status and, unless msg is "", the check's one
// finding with that message (a breach unless it is unknown); with msg ""
// no finding of the check.
func checkFinding(t *testing.T, h fleet.Health, check string, status fleet.Status, msg string) {
	t.Helper()
	if h.Status != status {
		t.Errorf("status %v, want %v (%+v)", h.Status, status, h.Findings)
	}
	var got []fleet.Finding
	for _, f := range h.Findings {
		if f.Check == check {
			got = append(got, f)
		}
	}
	switch {
	case msg == "" && len(got) > 0:
		t.Errorf("findings %+v, want none of %s", got, check)
	case msg == "":
	case len(got) != 1:
		t.Errorf("findings %+v, want one of %s: %q", h.Findings, check, msg)
	case got[0].Message != msg:
		t.Errorf("message\n got %q\nwant %q", got[0].Message, msg)
	case got[0].Breach != (got[0].Status != fleet.StatusUnknown):
		t.Errorf("%+v: a crossed threshold is a breach, an unknown one is not", got[0])
	}
}

// Burn rates against a 99.9 % objective (budget 0.1 %): a ratio of 2 %
// burns 20×.
func TestBurnRate(t *testing.T) {
	ratios := func(pairs ...any) map[string]float64 {
		m := map[string]float64{}
		for i := 0; i+1 < len(pairs); i += 2 {
			m[pairs[i].(string)] = pairs[i+1].(float64)
		}
		return m
	}
	quiet := []any{"1h", 0.0005, "5m", 0.0005, "6h", 0.0005, "30m", 0.0005}
	cases := []struct {
		name   string
		avail  float64
		r      map[string]float64
		status fleet.Status
		msg    string
	}{
		{"page: 1h and 5m both past 14.4×", 0.999, ratios("1h", 0.02, "5m", 0.031, "6h", 0.002, "30m", 0.002), fleet.StatusCritical,
			"error budget burning 20× (1h) and 31× (5m) the 99.9% objective"},
		{"page takes the ticket's place", 0.999, ratios("1h", 0.02, "5m", 0.031, "6h", 0.01, "30m", 0.01), fleet.StatusCritical,
			"error budget burning 20× (1h) and 31× (5m) the 99.9% objective"},
		{"no page: 5m only 10×", 0.999, ratios("1h", 0.02, "5m", 0.01, "6h", 0.002, "30m", 0.002), fleet.StatusOK, ""},
		{"no page: 1h only 14×", 0.999, ratios("1h", 0.014, "5m", 0.05, "6h", 0.002, "30m", 0.002), fleet.StatusOK, ""},
		{"ticket: 6h and 30m both past 6×", 0.999, ratios("1h", 0.014, "5m", 0.01, "6h", 0.007, "30m", 0.0095), fleet.StatusWarn,
			"error budget burning 7× (6h) and 9.5× (30m) the 99.9% objective"},
		{"no ticket: 30m only 5×", 0.999, ratios("1h", 0.001, "5m", 0.001, "6h", 0.007, "30m", 0.005), fleet.StatusOK, ""},
		{"no ticket: 6h only 5×", 0.999, ratios("1h", 0.001, "5m", 0.001, "6h", 0.005, "30m", 0.009), fleet.StatusOK, ""},
		// 99 %: a budget of 1 %, so 20 % is 20×.
		{"another objective", 0.99, ratios("1h", 0.2, "5m", 0.2, "6h", 0.0, "30m", 0.0), fleet.StatusCritical,
			"error budget burning 20× (1h) and 20× (5m) the 99% objective"},
		{"errors and no success", 0.999, ratios("1h", inf, "5m", inf, "6h", inf, "30m", inf), fleet.StatusCritical,
			"error budget burning ∞× (1h) and ∞× (5m) the 99.9% objective"},
		{"within budget", 0.999, ratios(quiet...), fleet.StatusOK, ""},
		{"a window missing", 0.999, ratios("1h", 0.0005, "5m", 0.0005, "6h", 0.0005), fleet.StatusUnknown, "error budget: no error ratio over 30m"},
		{"none read", 0.999, nil, fleet.StatusUnknown, "error budget: no error ratio over 1h, 5m, 6h, 30m"},
		{"off", 0, ratios("1h", 0.5, "5m", 0.5, "6h", 0.5, "30m", 0.5), fleet.StatusOK, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			th := fleet.DefaultThresholds
			th.Availability = c.avail
			// The 1m error ratio is small: only the burn rate judges.
			v := fleet.Version{Version: "1", Serving: true, RequestsPerSecond: ptr(10.0), ErrorRate: ptr(0.0),
				Objectives: fleet.Objectives{ErrorRatios: c.r}}
			m := fleet.Model{Name: "m", Versions: []fleet.Version{v}}
			Model(&m, cfgOf(th))
			checkFinding(t, m.Versions[0].Health, fleet.CheckBurnRate, c.status, c.msg)
		})
	}
}

// Silent is judged per model, on the sum of its versions' request rates.
func TestSilentModel(t *testing.T) {
	cases := []struct {
		name  string
		share float64
		rps   []*float64 // per version
		h     fleet.RequestHistory
		want  fleet.Status // the model's
		msg   string
	}{
		// 0.3 + 0.1 = 0.4 < 0.1 × 13 = 1.3; 0.4/13 = 3 %.
		{"below a tenth of last week", 0.1, []*float64{ptr(0.3), ptr(0.1)}, fleet.RequestHistory{LastWeek: ptr(13.0), HourBefore: ptr(12.0)},
			fleet.StatusWarn, "silent: 0.4 req/s, 3% of last week's 13 req/s"},
		{"above a tenth", 0.1, []*float64{ptr(1.0), ptr(0.4)}, fleet.RequestHistory{LastWeek: ptr(13.0)}, fleet.StatusOK, ""},
		// 0.05/13 = 0.38 %.
		{"under 1 %", 0.1, []*float64{ptr(0.05)}, fleet.RequestHistory{LastWeek: ptr(13.0)},
			fleet.StatusWarn, "silent: 0.05 req/s, 0.4% of last week's 13 req/s"},
		{"a share of a half", 0.5, []*float64{ptr(6.0)}, fleet.RequestHistory{LastWeek: ptr(13.0)},
			fleet.StatusWarn, "silent: 6 req/s, 46% of last week's 13 req/s"},
		{"new model: no series last week", 0.1, []*float64{ptr(0.01)}, fleet.RequestHistory{}, fleet.StatusOK, ""},
		{"idle last week too", 0.1, []*float64{ptr(0.0)}, fleet.RequestHistory{LastWeek: ptr(0.0)}, fleet.StatusOK, ""},
		{"stopped", 0.1, []*float64{ptr(0.0), ptr(0.0)}, fleet.RequestHistory{LastWeek: ptr(13.0), HourBefore: ptr(12.0)},
			fleet.StatusCritical, "stopped: no requests in 1m after 12 req/s the hour before"},
		{"stopped, new model", 0.1, []*float64{ptr(0.0)}, fleet.RequestHistory{HourBefore: ptr(12.0)},
			fleet.StatusCritical, "stopped: no requests in 1m after 12 req/s the hour before"},
		{"series gone", 0.1, []*float64{nil}, fleet.RequestHistory{HourBefore: ptr(0.2)},
			fleet.StatusCritical, "stopped: no requests reported in 1m after 0.2 req/s the hour before"},
		{"idle for over an hour", 0.1, []*float64{ptr(0.0)}, fleet.RequestHistory{LastWeek: ptr(13.0), HourBefore: ptr(0.0)},
			fleet.StatusWarn, "silent: 0 req/s, 0% of last week's 13 req/s"},
		{"off", 0, []*float64{ptr(0.0)}, fleet.RequestHistory{LastWeek: ptr(13.0), HourBefore: ptr(12.0)}, fleet.StatusOK, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			th := fleet.DefaultThresholds
			th.SilentShare = c.share
			m := fleet.Model{Name: "m", Serving: true, RequestHistory: c.h}
			for i, r := range c.rps {
				m.Versions = append(m.Versions, fleet.Version{Version: string(rune('1' + i)), Serving: true, RequestsPerSecond: r, Performance: map[string]float64{"auc": 0.9}})
			}
			Model(&m, cfgOf(th))
			f := m.Health
			checkFinding(t, f, fleet.CheckSilent, c.want, c.msg)
			for _, x := range f.Findings {
				if x.Check == fleet.CheckSilent && x.Version != "" {
					t.Errorf("%+v: silent is the model's, not a version's", x)
				}
			}
		})
	}
}

// A failed query of a check that is on makes health stale, as for every
// other check; of a check that is off, it does not.
func TestObjectiveRolesStale(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, role := range []fleet.Role{fleet.RoleLatencyBuckets, fleet.RoleErrorRatioTicket, fleet.RoleRequestsLastWeek} {
		snap := func(th fleet.Thresholds) fleet.Snapshot {
			s := fleet.Snapshot{TakenAt: at,
				Sources: []fleet.SourceStatus{{Name: "prom", Kind: "prometheus", OK: true, LastSuccess: at}},
				Queries: []fleet.QueryStatus{{Name: string(role), Role: role, Source: "prom", LastSuccess: at.Add(-2 * time.Minute)}},
				Models:  []fleet.Model{{Name: "m", Versions: []fleet.Version{{Version: "1", Serving: true, RequestsPerSecond: ptr(1.0)}}}}}
			Snapshot(&s, cfgOf(th))
			return s
		}
		on := fleet.DefaultThresholds
		on.LatencyP95, on.Availability = time.Second, 0.999
		off := on
		off.LatencyP95, off.Availability, off.SilentShare = 0, 0, 0
		if v := snap(on).Models[0].Versions[0]; !v.Data.Stale || v.Health.Findings[0].Message != "unknown (data 2m old)" {
			t.Errorf("%s failed, check on: %+v", role, v.Health)
		}
		if v := snap(off).Models[0].Versions[0]; v.Data.Stale || v.Health.Status != fleet.StatusOK {
			t.Errorf("%s failed, check off: %+v", role, v.Health)
		}
	}
}

// A model known only from the hour before (its series ended) says when its
// figures are old, having no version to say it.
func TestStoppedModelStale(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := fleet.Snapshot{TakenAt: at,
		Sources: []fleet.SourceStatus{{Name: "prom", Kind: "prometheus", OK: true, LastSuccess: at}},
		Queries: []fleet.QueryStatus{{Name: "requests_hour_before", Role: fleet.RoleRequestsHourBefore, Source: "prom", LastSuccess: at.Add(-3 * time.Minute)}},
		Models:  []fleet.Model{{Name: "m", Serving: true, RequestHistory: fleet.RequestHistory{HourBefore: ptr(12.0)}}}}
	Snapshot(&s, Default())
	h := s.Models[0].Health
	if h.Status != fleet.StatusCritical || len(h.Findings) != 2 || h.Findings[0].Check != fleet.CheckSilent || h.Findings[1].Message != "unknown (data 3m old)" {
		t.Errorf("health %+v, want stopped (the last thing known) and the data's age", h)
	}
}
