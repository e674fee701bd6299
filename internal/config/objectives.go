package config

import (
	"slices"
	"strings"
)

// The service-level roles are a profile's request rate and error ratio
// over other windows: each is derived from the profile's own query by
// changing its range, so every profile that counts requests (and errors)
// fills them the same way.

// rateRange is the range every profile's rate queries read.
const rateRange = "[" + windowVar + "]"

// lastWeek is a request rate query one week earlier, summed per model (a
// version that replaced another still serves the model's traffic).
func lastWeek(requests string) string {
	return "sum by (model) (" + strings.ReplaceAll(requests, rateRange, rateRange+" offset 1w") + ")"
}

// hourBefore is a request rate query over the hour before the rate window,
// summed per model.
func hourBefore(requests string) string {
	return "sum by (model) (" + strings.ReplaceAll(requests, rateRange, "[1h] offset "+windowVar) + ")"
}

// burnWindows is an error ratio query over each window, told apart by a
// window label, in one query.
func burnWindows(ratio string, windows ...string) string {
	parts := make([]string, len(windows))
	for i, w := range windows {
		parts[i] = setLabel(strings.ReplaceAll(ratio, rateRange, "["+w+"]"), "window", w)
	}
	return strings.Join(parts, " or ")
}

// serviceLevelRoles are the roles of the latency, silent and burn-rate
// checks a profile can fill from its request rate, its error ratio and its
// latency histogram's bucket rates (le kept); "" for what it lacks.
func serviceLevelRoles(requests, errorRatio, bucketRate string) []Query {
	var out []Query
	if bucketRate != "" {
		out = append(out, Query{Role: "latency_buckets", Expr: "sum by (model, version, le) (" + bucketRate + ")"})
	}
	if requests != "" {
		out = append(out, Query{Role: "requests_last_week", Expr: lastWeek(requests)}, Query{Role: "requests_hour_before", Expr: hourBefore(requests)})
	}
	if errorRatio != "" {
		out = append(out, Query{Role: "error_ratio_page", Expr: burnWindows(errorRatio, "1h", "5m")},
			Query{Role: "error_ratio_ticket", Expr: burnWindows(errorRatio, "6h", "30m")})
	}
	return out
}

// SentQueries are the queries mltop sends: the roles of the latency,
// silent and burn-rate checks only while their threshold is on, so that a
// check left off costs the server nothing. The silent check also needs
// today's request rate: without it every model would look stopped.
func (c *Config) SentQueries() ([]Query, error) {
	qs, err := c.Queries()
	if err != nil {
		return nil, err
	}
	requests := slices.ContainsFunc(qs, func(q Query) bool { return q.Role == "request_rate" })
	t := c.Thresholds
	return slices.DeleteFunc(qs, func(q Query) bool {
		switch q.Role {
		case "latency_buckets":
			return t.LatencyP95 <= 0
		case "requests_last_week", "requests_hour_before":
			return t.SilentShare <= 0 || !requests
		case "error_ratio_page", "error_ratio_ticket":
			return t.Availability <= 0
		}
		return false
	}), nil
}
