package profilecheck

import (
	"testing"
)

// Expositions written from the exporters' source: metric names, label names
// and label order as the code that exports them writes them. Each test cites
// that code.

// Newer Triton splits failures by reason (triton-inference-server/server
// docs/user_guide/metrics.md, "Failure Count Categories"; core
// src/infer_stats.cc, UpdateFailure).
const tritonWithReasons = `# HELP nv_inference_request_success Number of successful inference requests, all batch sizes
# TYPE nv_inference_request_success counter
nv_inference_request_success{model="fraud",version="3"} 190
# HELP nv_inference_request_failure Number of failed inference requests, all batch sizes
# TYPE nv_inference_request_failure counter
nv_inference_request_failure{model="fraud",reason="REJECTED",version="3"} 4
nv_inference_request_failure{model="fraud",reason="CANCELED",version="3"} 0
nv_inference_request_failure{model="fraud",reason="BACKEND",version="3"} 6
nv_inference_request_failure{model="fraud",reason="OTHER",version="3"} 0
# HELP nv_inference_request_duration_us Cumulative inference request duration in microseconds (includes cached requests)
# TYPE nv_inference_request_duration_us counter
nv_inference_request_duration_us{model="fraud",version="3"} 2850000
`

func TestTritonProfileWithFailureReasons(t *testing.T) {
	got := evaluate(t, scrapeGrowing(t, tritonWithReasons), "triton")
	fraud := lbl("model", "fraud", "version", "3")
	expect(t, "request_rate", got["request_rate"], want{fraud, perSecond(190 + 10)})
	expect(t, "error_ratio", got["error_ratio"], want{fraud, 10.0 / 200})
	// The duration counter grows with successes only.
	expect(t, "latency_mean", got["latency_mean"], want{fraud, 2850000.0 / 190 / 1e6})
}

// SeldonIO/MLServer mlserver/handlers/dataplane.py: Counter
// model_infer_request_success / _failure and Summary
// model_infer_request_duration, labels model and version, exposed by the
// Python client with _total, _created, _count and _sum. version is "None"
// when the request named none.
const mlserverExposition = `# HELP model_infer_request_success_total Model infer request success count
# TYPE model_infer_request_success_total counter
model_infer_request_success_total{model="iris",version="None"} 57.0
model_infer_request_success_total{model="iris",version="v2"} 30.0
# HELP model_infer_request_success_created Model infer request success count
# TYPE model_infer_request_success_created gauge
model_infer_request_success_created{model="iris",version="None"} 1.77236e+09
model_infer_request_success_created{model="iris",version="v2"} 1.77236e+09
# HELP model_infer_request_failure_total Model infer request failure count
# TYPE model_infer_request_failure_total counter
model_infer_request_failure_total{model="iris",version="None"} 3.0
model_infer_request_failure_total{model="iris",version="v2"} 0.0
# HELP model_infer_request_duration Model infer request duration
# TYPE model_infer_request_duration summary
model_infer_request_duration_count{model="iris",version="None"} 60.0
model_infer_request_duration_sum{model="iris",version="None"} 1.5
model_infer_request_duration_count{model="iris",version="v2"} 30.0
model_infer_request_duration_sum{model="iris",version="v2"} 0.6
`

func TestMLServerProfile(t *testing.T) {
	got := evaluate(t, scrapeGrowing(t, mlserverExposition), "mlserver")
	if len(got) != 7 {
		t.Fatalf("mlserver fills %d roles, want 7", len(got))
	}
	none, v2 := lbl("model", "iris"), lbl("model", "iris", "version", "v2")
	expect(t, "request_rate", got["request_rate"], want{none, perSecond(60)}, want{v2, perSecond(30)})
	expect(t, "error_ratio", got["error_ratio"], want{none, 3.0 / 60}, want{v2, 0})
	expect(t, "latency_mean", got["latency_mean"], want{none, 1.5 / 60}, want{v2, 0.6 / 30})
	expectBurnWindows(t, got, want{none, 3.0 / 60}, want{v2, 0})
}

// SeldonIO/seldon-core scheduler/pkg/metrics/agent.go: seldon_model_infer_total
// and seldon_model_infer_seconds_total with server, server_replica, model,
// model_internal, method_type and code; REST codes are HTTP statuses, gRPC
// codes their names (scheduler/pkg/agent/rproxy.go, rproxy_grpc.go).
// model_internal is "<model>_<version>" (scheduler/pkg/util/model.go).
const seldonExposition = `# HELP seldon_model_infer_total A count of server inference calls
# TYPE seldon_model_infer_total counter
seldon_model_infer_total{code="200",method_type="rest",model="iris",model_internal="iris_1",server="mlserver",server_replica="0"} 90
seldon_model_infer_total{code="500",method_type="rest",model="iris",model_internal="iris_1",server="mlserver",server_replica="0"} 6
seldon_model_infer_total{code="OK",method_type="grpc",model="iris",model_internal="iris_1",server="mlserver",server_replica="0"} 24
seldon_model_infer_total{code="OK",method_type="grpc",model="iris",model_internal="iris_2",server="mlserver",server_replica="1"} 30
# HELP seldon_model_infer_seconds_total A sum of server inference call latencies
# TYPE seldon_model_infer_seconds_total counter
seldon_model_infer_seconds_total{code="200",method_type="rest",model="iris",model_internal="iris_1",server="mlserver",server_replica="0"} 4.5
seldon_model_infer_seconds_total{code="500",method_type="rest",model="iris",model_internal="iris_1",server="mlserver",server_replica="0"} 0.6
seldon_model_infer_seconds_total{code="OK",method_type="grpc",model="iris",model_internal="iris_1",server="mlserver",server_replica="0"} 1.2
seldon_model_infer_seconds_total{code="OK",method_type="grpc",model="iris",model_internal="iris_2",server="mlserver",server_replica="1"} 0.9
# HELP seldon_model_aggregate_infer_total A count of server inference calls (aggregate)
# TYPE seldon_model_aggregate_infer_total counter
seldon_model_aggregate_infer_total{method_type="rest",server="mlserver",server_replica="0"} 96
`

func TestSeldonV2Profile(t *testing.T) {
	got := evaluate(t, scrapeGrowing(t, seldonExposition), "seldon-v2")
	if len(got) != 7 {
		t.Fatalf("seldon-v2 fills %d roles, want 7", len(got))
	}
	v1, v2 := lbl("model", "iris", "version", "1"), lbl("model", "iris", "version", "2")
	expect(t, "request_rate", got["request_rate"], want{v1, perSecond(90 + 6 + 24)}, want{v2, perSecond(30)})
	// Version 2 has no error series yet: its ratio is 0, not missing.
	expect(t, "error_ratio", got["error_ratio"], want{v1, 6.0 / 120}, want{v2, 0})
	expect(t, "latency_mean", got["latency_mean"], want{v1, (4.5 + 0.6 + 1.2) / 120}, want{v2, 0.9 / 30})
	expectBurnWindows(t, got, want{v1, 6.0 / 120}, want{v2, 0})
}

// kserve/kserve python/kserve/kserve/metrics.py: Histograms
// request_preprocess_seconds, request_predict_seconds, ... labelled
// model_name, with the Python client's default buckets.
const kserveExposition = `# HELP request_preprocess_seconds pre-process request latency
# TYPE request_preprocess_seconds histogram
request_preprocess_seconds_bucket{model_name="sklearn-iris",le="0.005"} 100.0
request_preprocess_seconds_bucket{model_name="sklearn-iris",le="+Inf"} 100.0
request_preprocess_seconds_count{model_name="sklearn-iris"} 100.0
request_preprocess_seconds_sum{model_name="sklearn-iris"} 0.1
# HELP request_predict_seconds predict request latency
# TYPE request_predict_seconds histogram
request_predict_seconds_bucket{model_name="sklearn-iris",le="0.005"} 0.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="0.01"} 0.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="0.025"} 20.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="0.05"} 60.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="0.075"} 80.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="0.1"} 96.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="0.25"} 99.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="0.5"} 100.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="0.75"} 100.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="1.0"} 100.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="2.5"} 100.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="5.0"} 100.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="7.5"} 100.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="10.0"} 100.0
request_predict_seconds_bucket{model_name="sklearn-iris",le="+Inf"} 100.0
request_predict_seconds_count{model_name="sklearn-iris"} 100.0
request_predict_seconds_sum{model_name="sklearn-iris"} 4.2
request_predict_seconds_bucket{model_name="xgb-churn",le="0.005"} 0.0
request_predict_seconds_bucket{model_name="xgb-churn",le="0.01"} 30.0
request_predict_seconds_bucket{model_name="xgb-churn",le="+Inf"} 30.0
request_predict_seconds_count{model_name="xgb-churn"} 30.0
request_predict_seconds_sum{model_name="xgb-churn"} 0.24
`

func TestKServeProfile(t *testing.T) {
	got := evaluate(t, scrapeGrowing(t, kserveExposition), "kserve")
	if len(got) != 8 {
		t.Fatalf("kserve fills %d roles, want 8", len(got))
	}
	// No version label exists: version is "".
	iris, churn := lbl("model", "sklearn-iris"), lbl("model", "xgb-churn")
	expect(t, "request_rate", got["request_rate"], want{iris, perSecond(100)}, want{churn, perSecond(30)})
	// Linear interpolation inside the bucket holding the rank: the 50th of
	// 100 lies in (0.025, 0.05] holding the 21st to 60th, and so on.
	expect(t, "latency_p50", got["latency_p50"], want{iris, 0.025 + 0.025*30/40}, want{churn, 0.005 + 0.005*15/30})
	expect(t, "latency_p95", got["latency_p95"], want{iris, 0.075 + 0.025*15/16}, want{churn, 0.005 + 0.005*28.5/30})
	expect(t, "latency_p99", got["latency_p99"], want{iris, 0.25}, want{churn, 0.005 + 0.005*29.7/30})
	expect(t, "latency_mean", got["latency_mean"], want{iris, 4.2 / 100}, want{churn, 0.24 / 30})
	// The predict histogram's buckets, per second: 96 of 100 within 0.1 s.
	if n := len(got["latency_buckets"]); n != 15+3 {
		t.Errorf("latency_buckets: %d series, want 18 (15 buckets of sklearn-iris, 3 of xgb-churn)", n)
	}
	expectBuckets(t, got["latency_buckets"], want{withLe(iris, "0.1"), perSecond(96)}, want{withLe(iris, "+Inf"), perSecond(100)},
		want{withLe(churn, "0.01"), perSecond(30)})
	expectNoPast(t, got)
}
