package judge

import (
	"fmt"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
)

// staleMessage is the health of a version whose data is stale.
func staleMessage(now, since time.Time) string {
	if since.IsZero() || now.IsZero() {
		return "unknown (no fresh data)"
	}
	return "unknown (data " + human.Duration(now.Sub(since)) + " old)"
}

// impossible lists values no real system produces: negative rates,
// shares outside 0..1, weights outside 0..100, negative ages, delays,
// latencies and counts. They are flagged, never judged as health.
func impossible(v *fleet.Version) []string {
	var out []string
	neg := func(p *float64, what string, format func(float64) string) {
		if knownPtr(p) && *p < 0 {
			out = append(out, fmt.Sprintf("impossible %s %s", what, format(*p)))
		}
	}
	plain := func(f float64) string { return fmt.Sprintf("%.3g", f) }
	seconds := func(f float64) string { return fmt.Sprintf("%.3gs", f) }
	neg(v.RequestsPerSecond, "request rate", func(f float64) string { return plain(f) + "/s" })
	neg(v.ErrorRate, "error ratio", plain)
	if p := v.ErrorRate; p != nil && *p < 0 && !known(*p) { // -Inf: errors cannot be negative
		out = append(out, "impossible error ratio -Inf")
	}
	if w := v.TrafficWeight; knownPtr(w) && (*w < 0 || *w > 100) {
		out = append(out, fmt.Sprintf("impossible traffic weight %.3g%%", *w))
	}
	neg(v.Latency.P50, "latency p50", seconds)
	neg(v.Latency.P95, "latency p95", seconds)
	neg(v.Latency.P99, "latency p99", seconds)
	neg(v.Latency.Mean, "mean latency", seconds)
	gt := v.GroundTruth
	neg(gt.LastLabelAgeSeconds, "label age", seconds)
	neg(gt.DelayP50Seconds, "label delay p50", seconds)
	neg(gt.DelayP95Seconds, "label delay p95", seconds)
	neg(gt.Labels, "label count", plain)
	if f := gt.LabeledFraction; knownPtr(f) && (*f < 0 || *f > 1) {
		out = append(out, fmt.Sprintf("impossible labelled share %.3g", *f))
	}
	for _, role := range v.DuplicateSeries {
		out = append(out, fmt.Sprintf("several series for %s (the query needs sum by (model, version)); the worst is shown", role))
	}
	return out
}
