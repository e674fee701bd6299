package recording_test

import (
	"testing"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/recording"
)

// An overridden query is recorded under a name read from it, or not at
// all when the name could not say what the series holds.
func TestOverriddenQueriesNames(t *testing.T) {
	for _, tc := range []struct{ role, expr, want string }{
		{"request_rate", `sum by (model) (rate(http_requests_total{job="ml"}[{{window}}]))`, "model:http_requests:rate1m"},
		{"request_rate", `label_replace(sum by (svc, rev) (irate(reqs_total[{{window}}])), "model", "$1", "svc", "(.*)")`, "svc_rev_model:reqs:irate1m"},
		{"latency_p95", `histogram_quantile(0.95, sum by (model, version, le) (rate(lat_seconds_bucket[2m])))`, "model_version:lat_seconds:p95_rate2m"},
		{"error_ratio", `sum by (model, version) (rate(fails_total[{{window}}])) / sum by (model, version) (rate(calls_total[{{window}}]))`, "model_version:fails_per_calls:ratio_rate1m"},
		{"request_rate", `sum without (instance) (rate(x_total[1m]))`, ""}, // labels unknown
		{"request_rate", `rate(x_total[1m])`, ""},                                                       // not aggregated
		{"request_rate", `sum by (model) (rate(x_total[1m] offset 5m))`, ""},                            // offset
		{"request_rate", `sum by (model) (rate(x_total[1m])) / sum by (model) (rate(y_total[5m]))`, ""}, // two windows
		{"request_rate", `sum by (model) (max_over_time(rate(x_total[1m])[5m:30s]))`, ""},               // subquery
		{"label_age", `time() - max by (model, version) (last_seconds)`, ""},                            // no range, and time()
		{"performance", `max by (model, version, metric) (model_performance)`, ""},                      // newest samples only
	} {
		cfg := config.DefaultEnv(nil)
		cfg.Prometheus.Queries = map[string]string{tc.role: tc.expr}
		rules, err := recording.Rules(cfg)
		if err != nil {
			t.Fatal(err)
		}
		got := recording.Mapping(rules)[tc.role]
		if got != tc.want {
			t.Errorf("%s = %s: recorded as %q, want %q", tc.role, tc.expr, got, tc.want)
		}
	}
}

// The slow histogram roles are never recorded, whatever their query.
func TestHistogramRolesAreNotRecorded(t *testing.T) {
	rules, err := recording.Rules(config.DefaultEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	m := recording.Mapping(rules)
	for _, role := range []string{"feature_buckets", "feature_buckets_reference", "feature_categories", "feature_categories_reference", "score_calibration", "warming_up", "label_age"} {
		if name, ok := m[role]; ok {
			t.Errorf("%s recorded as %s", role, name)
		}
	}
	if len(rules) != 11 {
		t.Errorf("%d roles recorded for the default profile, want 11: %v", len(rules), rules)
	}
}

// Combined profiles are recorded as one series per role, named after the
// metrics of every profile, and which profile answered as a group.
func TestCombinedProfilesNames(t *testing.T) {
	cfg := config.DefaultEnv(nil)
	cfg.Prometheus.Profile = []string{"mltop", "mlserver"}
	rules, err := recording.Rules(cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := recording.Mapping(rules)
	for role, want := range map[string]string{
		"request_rate": "model_version:model_predictions_and_model_infer_request_duration_count:rate1m",
		"latency_p95":  "model_version:model_prediction_duration_seconds:p95_rate1m",
		"profile":      "model_version_profile:model_predictions_and_model_infer_request_duration_count:group_rate1m",
	} {
		if got[role] != want {
			t.Errorf("%s recorded as %q, want %q", role, got[role], want)
		}
	}
}
