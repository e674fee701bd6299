package config

import (
	"slices"
	"testing"
)

func TestProfileMetricsFromTheQueries(t *testing.T) {
	want := map[string][]string{
		"mltop":         {"model_predictions_total"},
		"triton":        {"nv_inference_request_failure", "nv_inference_request_success"},
		"mlserver":      {"model_infer_request_duration_count"},
		"seldon-v2":     {"seldon_model_infer_total"},
		"kserve":        {"request_predict_seconds_count"},
		"torchserve":    {"ts_inference_requests_total"},
		"bentoml":       {"bentoml_service_request_total"},
		"argo-rollouts": {"analysis_run_info", "analysis_run_metric_phase", "rollout_info", "rollout_phase"},
		"flagger":       {"flagger_canary_status", "flagger_canary_weight"},
	}
	for _, name := range KnownProfiles() {
		if got := ProfileMetrics(name); !slices.Equal(got, want[name]) {
			t.Errorf("%s: %v, want %v", name, got, want[name])
		}
	}
	if !slices.Equal(slices.Sorted(slices.Values(DetectionOrder())), KnownProfiles()) {
		t.Errorf("detection order %v does not hold every profile %v", DetectionOrder(), KnownProfiles())
	}
}

func TestDetectProfiles(t *testing.T) {
	for _, tc := range []struct {
		name    string
		present []string
		want    []string
	}{
		{"nothing", nil, nil},
		{"unrelated metrics", []string{"up", "go_goroutines"}, nil},
		{"mltop alone", []string{"model_predictions_total", "up"}, []string{"mltop"}},
		{"mlserver before mltop in the answer", []string{"model_infer_request_duration_count", "model_predictions_total"}, []string{"mltop", "mlserver"}},
		{"triton by its failure counter alone", []string{"nv_inference_request_failure"}, []string{"triton"}},
		{"a model metric that is not the request counter", []string{"model_drift_score"}, nil},
		{"exporter and rollout controller", []string{"rollout_info", "ts_inference_requests_total"}, []string{"torchserve", "argo-rollouts"}},
		{"rollout controllers alone", []string{"flagger_canary_weight", "rollout_phase"}, []string{"argo-rollouts", "flagger"}},
		{"every exporter", DetectionMetrics(), DetectionOrder()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := DetectProfiles(tc.present); !slices.Equal(got, tc.want) {
				t.Errorf("DetectProfiles(%v) = %v, want %v", tc.present, got, tc.want)
			}
		})
	}
}

func TestProfileExplicit(t *testing.T) {
	for _, tc := range []struct {
		yaml             string
		explicit, detect bool
	}{
		{"prometheus:\n  url: http://127.0.0.1:9090\n", false, true},
		{"prometheus:\n  url: http://127.0.0.1:9090\n  profile: mltop\n", true, false},
		{"prometheus:\n  url: http://127.0.0.1:9090\n  profile: [triton, mlserver]\n", true, false},
		{"scrape:\n  targets: [http://127.0.0.1:8080/metrics]\n", false, false},
	} {
		c, err := Parse("config.yaml", []byte(tc.yaml))
		if err != nil {
			t.Fatal(err)
		}
		if c.ProfileExplicit() != tc.explicit || c.DetectsProfiles() != tc.detect {
			t.Errorf("%q: explicit %v detect %v, want %v %v", tc.yaml, c.ProfileExplicit(), c.DetectsProfiles(), tc.explicit, tc.detect)
		}
	}
}

func TestWithDetectedProfilesRendersTheirUnion(t *testing.T) {
	c, err := Parse("config.yaml", []byte("prometheus:\n  url: http://127.0.0.1:9090\n  queries:\n    latency_mean: up\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := c.WithDetectedProfiles([]string{"mltop", "mlserver"}, ProfileDetection{Detected: true, LookedFor: DetectionMetrics()})
	if !slices.Equal(c.Prometheus.Profile, []string{"mltop"}) {
		t.Errorf("the original config changed: %v", c.Prometheus.Profile)
	}
	qs, err := d.Queries()
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]string{}
	for _, q := range qs {
		roles[q.Role] = q.Expr
	}
	if _, ok := roles["profile"]; !ok {
		t.Error("two detected exporter profiles: no profile role")
	}
	if roles["latency_mean"] != "up" {
		t.Errorf("prometheus.queries no longer applies: latency_mean = %s", roles["latency_mean"])
	}
	if d.Prometheus.Detection == nil || !d.Prometheus.Detection.Detected {
		t.Errorf("detection not recorded: %+v", d.Prometheus.Detection)
	}
}

// A profile written in a context, or at the top level it lays over,
// turns detection off for that context only.
func TestContextProfileTurnsDetectionOff(t *testing.T) {
	cases := []struct {
		yaml string
		want map[string]bool // context -> detects
	}{
		{"prometheus: {url: http://a:9090}\ncontexts:\n  a: {prometheus: {profile: [mlserver]}}\n  b: {prometheus: {url: http://b:9090}}\n",
			map[string]bool{"a": false, "b": true}},
		{"prometheus: {url: http://a:9090, profile: mltop}\ncontexts:\n  a: {prometheus: {url: http://x:9090}}\n",
			map[string]bool{"a": false}},
	}
	for _, tc := range cases {
		c, err := Parse("f.yaml", []byte(tc.yaml))
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range tc.want {
			cc, err := c.ForContext(name)
			if err != nil {
				t.Fatal(err)
			}
			if got := cc.DetectsProfiles(); got != want {
				t.Errorf("%q: context %s detects = %v, want %v", tc.yaml, name, got, want)
			}
		}
	}
}
