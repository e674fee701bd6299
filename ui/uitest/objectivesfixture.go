package uitest

import (
	"math"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
)

// ObjectivesSnapshot is Snapshot judged against service-level objectives,
// a 250ms p95 and 99.9 % availability: payments-fraud v8 is past the
// latency objective (40 % slower) and burns its error budget 52× as fast
// as allowed, image-tagger has no latency histogram and burns 91×,
// churn-predictor burns 9× (a ticket), and search-ranker serves 8 % of
// last week's traffic.
func ObjectivesSnapshot() fleet.Snapshot {
	s := Snapshot()
	c := judge.Default()
	c.Thresholds.LatencyP95 = 250 * time.Millisecond
	c.Thresholds.Availability = 0.999
	for idx := range s.Models {
		m := &s.Models[idx]
		for j := range m.Versions {
			v := &m.Versions[j]
			shares := []float64{0.97, 0.99, 1}
			if m.Name == "payments-fraud" {
				shares = []float64{0.3, 0.6, 1}
			}
			if v.Latency.Kind == fleet.LatencyHistogram {
				rps := *v.RequestsPerSecond
				v.Objectives.LatencyBuckets = []fleet.Bucket{{Le: 0.1, Count: shares[0] * rps}, {Le: 0.25, Count: shares[1] * rps}, {Le: math.Inf(1), Count: rps}}
			}
			e := *v.ErrorRate
			v.Objectives.ErrorRatios = map[string]float64{fleet.BurnWindow5m: e, fleet.BurnWindow30m: e, fleet.BurnWindow1h: e, fleet.BurnWindow6h: e}
		}
		if m.Name == "search-ranker" {
			m.RequestHistory = fleet.RequestHistory{LastWeek: f(90000), HourBefore: f(6800)}
		}
		judge.Model(m, c)
	}
	return s
}
