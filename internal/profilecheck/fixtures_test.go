package profilecheck

import (
	"math"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/merge"
)

// The expositions here are recorded exporter output; see
// ../shared/fixtures/metrics/README.md for where each comes from.

func TestTritonProfileOnRecordedOutput(t *testing.T) {
	e := scrapeGrowing(t, fixture(t, "triton-metrics.prom"))
	got := evaluate(t, e, "triton")
	if len(got) != 7 {
		t.Fatalf("triton fills %d roles, want request_rate, error_ratio, latency_mean and the silent and burn-rate roles", len(got))
	}
	densenet, simple := lbl("model", "densenet_onnx", "version", "1"), lbl("model", "simple", "version", "1")
	// densenet_onnx: 3 successes, 0 failures, 1327965 µs of request time.
	// simple served nothing: its ratios are 0/0, unknown rather than 0.
	expect(t, "request_rate", got["request_rate"], want{densenet, perSecond(3 + 0)}, want{simple, 0})
	expect(t, "error_ratio", got["error_ratio"], want{densenet, 0}, want{simple, math.NaN()})
	expect(t, "latency_mean", got["latency_mean"], want{densenet, 1327965.0 / 3 / 1e6}, want{simple, math.NaN()})
	expectBurnWindows(t, got, want{densenet, 0}, want{simple, math.NaN()})
}

func TestTorchServeProfileOnRecordedOutput(t *testing.T) {
	// Every line of this file ends in ",}".
	e := scrapeGrowing(t, fixture(t, "torchserve-metrics.prom"))
	got := evaluate(t, e, "torchserve")
	if len(got) != 4 {
		t.Fatalf("torchserve fills %d roles, want request_rate, latency_mean and the silent roles", len(got))
	}
	// 11 requests per model; model_version "default" means none was named.
	latencyUS := map[string]float64{
		"linear_regression_1_1": 9136028.087,
		"linear_regression_3_2": 86784.501,
		"linear_regression_1_2": 683356.875,
		"linear_regression_2_3": 92203.917,
		"linear_regression_2_2": 102805.04,
	}
	var rates, means []want
	for name, us := range latencyUS {
		rates = append(rates, want{lbl("model", name), perSecond(11)})
		means = append(means, want{lbl("model", name), us / 11 / 1e6})
	}
	expect(t, "request_rate", got["request_rate"], rates...)
	expect(t, "latency_mean", got["latency_mean"], means...)
	expectNoPast(t, got)
}

func TestArgoRolloutsProfileOnRecordedOutput(t *testing.T) {
	e := scrapeGrowing(t, fixture(t, "argo-rollouts-controller.prom"))
	got := evaluate(t, e, "argo-rollouts")
	if len(got) != 3 {
		t.Fatalf("argo-rollouts fills %d roles, want rollout_info, analysis_run and analysis_metric", len(got))
	}
	// The recording has no analysis run: the analysis roles are empty.
	expect(t, "analysis_run", got["analysis_run"])
	expect(t, "analysis_metric", got["analysis_metric"])
	// rollout_info says Completed, as does the one-hot rollout_phase; the
	// two agree and give one sample.
	expect(t, "rollout_info", got["rollout_info"],
		want{lbl("model", "rollouts-demo", "phase", "Healthy", "strategy", "canary"), 1})
}

func TestTritonWithArgoRolloutsOnRecordedOutput(t *testing.T) {
	e := scrapeGrowing(t, fixture(t, "triton-metrics.prom"), fixture(t, "argo-rollouts-controller.prom"))
	got := evaluate(t, e, "triton", "argo-rollouts")
	if len(got) != 10 {
		t.Fatalf("[triton, argo-rollouts] fills %d roles, want 10", len(got))
	}
	densenet := lbl("model", "densenet_onnx", "version", "1")
	expect(t, "request_rate", got["request_rate"], want{densenet, perSecond(3)}, want{lbl("model", "simple", "version", "1"), 0})
	expect(t, "rollout_info", got["rollout_info"],
		want{lbl("model", "rollouts-demo", "phase", "Healthy", "strategy", "canary"), 1})

	vectors := map[fleet.Role]model.Vector{}
	for role, v := range got {
		vectors[fleet.Role(role)] = v
	}
	merged := merge.Merge(vectors, nil, merge.MergeConfig{})
	models := map[string]fleet.Model{}
	for _, m := range merged.Models {
		models[m.Name] = m
	}
	densenetModel := models["densenet_onnx"]
	v := densenetModel.Version("1")
	if v == nil {
		t.Fatalf("merged models %v lack densenet_onnx version 1", merged.Models)
	}
	// Only a mean: the dashboard marks it so, and shows no quantile.
	if l := v.Latency; l.Kind != fleet.LatencyMean || l.Mean == nil || !sameValue(*l.Mean, 0.442655) || l.P50 != nil || l.P95 != nil || l.P99 != nil {
		t.Errorf("densenet_onnx latency = %+v, want only a mean of 0.442655 s", l)
	}
	if r := models["rollouts-demo"].Rollout; r == nil || r.Phase != "Healthy" || r.Strategy != "canary" {
		t.Errorf("rollouts-demo rollout = %+v, want Healthy canary", r)
	}
}
