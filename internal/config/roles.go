package config

// knownRoles mirrors fleet.AllRoles (this package imports nothing of ours);
// a test in config_test keeps the two lists equal.
var knownRoles = []string{
	"request_rate", "error_ratio", "latency_p50", "latency_p95", "latency_p99",
	"latency_mean", "performance", "traffic_weight", "rollout_info", "rollout_step",
	"rollout_steps", "rollout_set_weight", "labeled_fraction", "label_delay_p50",
	"label_delay_p95", "label_age", "drift_score", "labels_in_window",
	"feature_buckets", "feature_buckets_reference", "feature_categories", "feature_categories_reference",
	"warming_up", "score_calibration", "performance_estimate", "verdict_counts", "verdict_latency",
	"analysis_run", "analysis_metric",
	"latency_buckets", "requests_last_week", "requests_hour_before", "error_ratio_page", "error_ratio_ticket",
	"feature_missing", "feature_missing_reference", "profile",
}

// KnownRoles lists every role a query can fill, in a stable order.
func KnownRoles() []string { return append([]string(nil), knownRoles...) }

func isKnownRole(role string) bool {
	for _, r := range knownRoles {
		if r == role {
			return true
		}
	}
	return false
}
