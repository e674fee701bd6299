package testenv

import (
	"strconv"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// VersionValue is where the merge put a per-version sample of role; ok is
// false when the snapshot holds nothing there, and direct false for roles
// whose samples are not kept as values (histograms for computed drift).
func VersionValue(v *fleet.Version, role fleet.Role, lbl model.Metric) (val float64, ok, direct bool) {
	ptr := func(p *float64) (float64, bool, bool) {
		if p == nil {
			return 0, false, true
		}
		return *p, true, true
	}
	switch role {
	case fleet.RoleRequestRate:
		return ptr(v.RequestsPerSecond)
	case fleet.RoleErrorRatio:
		return ptr(v.ErrorRate)
	case fleet.RoleLatencyP50:
		return ptr(v.Latency.P50)
	case fleet.RoleLatencyP95:
		return ptr(v.Latency.P95)
	case fleet.RoleLatencyP99:
		return ptr(v.Latency.P99)
	case fleet.RoleLatencyMean:
		return ptr(v.Latency.Mean)
	case fleet.RoleTrafficWeight:
		return ptr(v.TrafficWeight)
	case fleet.RoleLabeledFraction:
		return ptr(v.GroundTruth.LabeledFraction)
	case fleet.RoleLabelDelayP50:
		return ptr(v.GroundTruth.DelayP50Seconds)
	case fleet.RoleLabelDelayP95:
		return ptr(v.GroundTruth.DelayP95Seconds)
	case fleet.RoleLabelAge:
		return ptr(v.GroundTruth.LastLabelAgeSeconds)
	case fleet.RoleLabelsInWindow:
		return ptr(v.GroundTruth.Labels)
	case fleet.RolePerformance:
		x, ok := v.Performance[string(lbl["metric"])]
		return x, ok, true
	case fleet.RolePerformanceEstimate:
		e, ok := v.EstimatedPerformance[string(lbl["metric"])]
		return e.Value, ok, true
	case fleet.RoleDriftScore:
		if v.Drift != nil {
			for _, f := range v.Drift.Features {
				if f.Feature == string(lbl["feature"]) && f.Method == string(lbl["method"]) {
					return f.Score, true, true
				}
			}
		}
		return 0, false, true
	case fleet.RoleVerdictCounts:
		if v.Counts == nil {
			return 0, false, true
		}
		switch string(lbl["counter"]) {
		case fleet.CounterRequests:
			return ptr(v.Counts.Requests)
		case fleet.CounterErrors:
			return ptr(v.Counts.Errors)
		}
		return 0, false, true
	case fleet.RoleVerdictLatency:
		if v.Counts != nil {
			le, err := strconv.ParseFloat(string(lbl["le"]), 64)
			for _, b := range v.Counts.Latency {
				if err == nil && b.Le == le {
					return b.Count, true, true
				}
			}
		}
		return 0, false, true
	case fleet.RoleLatencyBuckets:
		le, err := strconv.ParseFloat(string(lbl["le"]), 64)
		for _, b := range v.Objectives.LatencyBuckets {
			if err == nil && b.Le == le {
				return b.Count, true, true
			}
		}
		return 0, false, true
	case fleet.RoleErrorRatioPage, fleet.RoleErrorRatioTicket:
		x, ok := v.Objectives.ErrorRatios[string(lbl["window"])]
		return x, ok, true
	case fleet.RoleWarmingUp:
		if v.WarmingUp {
			return 1, true, true
		}
		return 0, false, true
	}
	return 0, false, false
}

// ModelValue is what a model-level role put into the model: the request
// rates the silent check compares with. direct is false for other roles.
func ModelValue(m *fleet.Model, role fleet.Role) (val float64, ok, direct bool) {
	var p *float64
	switch role {
	case fleet.RoleRequestsLastWeek:
		p = m.RequestHistory.LastWeek
	case fleet.RoleRequestsHourBefore:
		p = m.RequestHistory.HourBefore
	default:
		return 0, false, false
	}
	if p == nil {
		return 0, false, true
	}
	return *p, true, true
}
