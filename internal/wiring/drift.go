package wiring

import (
	"strconv"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/merge"
	"github.com/mltop/mltop/internal/poll"
)

// pollQueries turns the config's queries into the poller's. The feature
// histogram queries are the heaviest a refresh sends (a series per bucket,
// feature and version) and describe long windows that barely move between
// refreshes, so they are re-read less often (readEvery).
func pollQueries(cfg *config.Config) ([]poll.Query, error) {
	qs, err := cfg.SentQueries()
	if err != nil {
		return nil, err
	}
	out := make([]poll.Query, 0, len(qs))
	for _, q := range qs {
		role := fleet.Role(q.Role)
		out = append(out, poll.Query{Name: q.Name, Role: role, Expr: q.Expr, Every: readEvery(cfg, role)})
	}
	return out, nil
}

// slowGauges move when labels arrive or a rollout is defined, not with
// each request: quality, its estimate, the labelled share and the newest
// label's age (shown in minutes at least), a rollout's number of steps.
// Each is a request per refresh whose cost is mostly the request itself.
var slowGauges = map[fleet.Role]bool{
	fleet.RolePerformance: true, fleet.RolePerformanceEstimate: true, fleet.RoleLabeledFraction: true,
	fleet.RoleLabelAge: true, fleet.RoleRolloutSteps: true,
}

// slowGaugeEvery is how often the slow gauges are re-read.
const slowGaugeEvery = 15 * time.Second

// readEvery is how often a role is re-read: the current histogram window
// every 1/60 of its length (a minute for the default hour), the reference
// and the score calibration every minute or 1/60 of their window,
// whichever is longer, exported drift scores every minute and the slow
// gauges every 15 s; the labels in the drift window with its histograms,
// the verdict's counts every 1/120 of the verdict window (30 s of 1h); last week's rate and the hour before every minute,
// each burn-rate pair when its short window has moved a tenth (30s of 5m,
// 3m of 30m); never more often than the refresh. Other roles: every
// refresh (0).
func readEvery(cfg *config.Config, role fleet.Role) time.Duration {
	switch {
	case role == fleet.RoleScoreCalibration:
		return max(cfg.Refresh, time.Minute, cfg.Estimate.CalibrationWindow/60)
	case fleet.IsReferenceRole(role):
		return max(cfg.Refresh, time.Minute, cfg.Drift.Reference.Window/60)
	case fleet.IsHistogramRole(role), role == fleet.RoleFeatureMissing:
		return max(cfg.Refresh, cfg.Drift.Window/60)
	case role == fleet.RoleDriftScore:
		// Exported scores move when their drift job runs, hourly or daily;
		// at 1,000 models theirs is the costliest query left each refresh.
		return max(cfg.Refresh, time.Minute)
	case slowGauges[role]:
		return max(cfg.Refresh, slowGaugeEvery)
	case role == fleet.RoleRequestsLastWeek, role == fleet.RoleRequestsHourBefore:
		return max(cfg.Refresh, time.Minute)
	case role == fleet.RoleVerdictCounts, role == fleet.RoleVerdictLatency:
		// Counts over the verdict window (an hour by default) move by a
		// 120th of it in 30 s; the latency buckets over an hour are the
		// costliest instant query a refresh sent.
		return max(cfg.Refresh, cfg.Verdict.Window/120)
	case role == fleet.RoleLabelsInWindow:
		// The labels in the drift window go with the histograms over it.
		return max(cfg.Refresh, cfg.Drift.Window/60)
	case role == fleet.RoleErrorRatioPage:
		return max(cfg.Refresh, 30*time.Second)
	case role == fleet.RoleErrorRatioTicket:
		return max(cfg.Refresh, 3*time.Minute)
	}
	return 0
}

// estimateConfig configures the quality estimate (CBPE) in the merge.
func estimateConfig(cfg *config.Config) merge.EstimateConfig {
	return merge.EstimateConfig{Threshold: cfg.Estimate.Threshold, CalibrationWindow: cfg.Estimate.CalibrationWindow}
}

// driftOptions configure drift computed from histograms.
func driftOptions(cfg *config.Config) histdrift.Options {
	return histdrift.Options{
		Method:       cfg.Drift.Method,
		Thresholds:   cfg.Drift.Thresholds,
		OffsetLabel:  offsetLabel(cfg.Drift.Reference.Offset),
		MinPerBucket: minPerBucket(cfg.Drift.MinPerBucket),
	}
}

// minPerBucket maps drift.min_per_bucket onto histdrift's option, where 0
// means the default and a negative number no minimum.
func minPerBucket(n float64) float64 {
	if n == 0 {
		return -1
	}
	return n
}

// offsetLabel names the offset reference as people say it: "7d offset"
// rather than PromQL's "1w".
func offsetLabel(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d offset"
	}
	return config.FormatDuration(d) + " offset"
}
