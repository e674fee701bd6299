package profilecheck

import "testing"

// bentoml/BentoML src/bentoml/_internal/server/http/instruments.py
// (RunnerTrafficMetricsMiddleware) with the namespace bentoml_service from
// src/_bentoml_impl/server/app.py: labels endpoint, service_name,
// service_version, http_response_code, runner_name, in that order, and le
// last. Translator is served from source: its version is "not available"
// (src/_bentoml_impl/worker/service.py). The middleware creates the 200 and
// 500 series of every route at start, hence the 0.
const bentomlExposition = `# HELP bentoml_service_request_total Total number of runner RPC
# TYPE bentoml_service_request_total counter
bentoml_service_request_total{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization"} 84.0
bentoml_service_request_total{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="422",runner_name="Summarization"} 10.0
bentoml_service_request_total{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="500",runner_name="Summarization"} 6.0
bentoml_service_request_total{endpoint="/readyz",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization"} 500.0
bentoml_service_request_total{endpoint="/translate",service_name="translator",service_version="not available",http_response_code="200",runner_name="Translator"} 30.0
bentoml_service_request_total{endpoint="/translate",service_name="translator",service_version="not available",http_response_code="500",runner_name="Translator"} 0.0
# HELP bentoml_service_request_duration_seconds runner RPC duration in seconds
# TYPE bentoml_service_request_duration_seconds histogram
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="0.1"} 0.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="0.25"} 0.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="0.5"} 42.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="1.0"} 84.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="2.5"} 84.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="5.0"} 84.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="+Inf"} 84.0
bentoml_service_request_duration_seconds_count{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization"} 84.0
bentoml_service_request_duration_seconds_sum{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization"} 50.4
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="422",runner_name="Summarization",le="0.1"} 10.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="422",runner_name="Summarization",le="0.25"} 10.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="422",runner_name="Summarization",le="0.5"} 10.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="422",runner_name="Summarization",le="1.0"} 10.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="422",runner_name="Summarization",le="2.5"} 10.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="422",runner_name="Summarization",le="5.0"} 10.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="422",runner_name="Summarization",le="+Inf"} 10.0
bentoml_service_request_duration_seconds_count{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="422",runner_name="Summarization"} 10.0
bentoml_service_request_duration_seconds_sum{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="422",runner_name="Summarization"} 0.3
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="500",runner_name="Summarization",le="0.1"} 0.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="500",runner_name="Summarization",le="0.25"} 0.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="500",runner_name="Summarization",le="0.5"} 0.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="500",runner_name="Summarization",le="1.0"} 0.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="500",runner_name="Summarization",le="2.5"} 0.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="500",runner_name="Summarization",le="5.0"} 6.0
bentoml_service_request_duration_seconds_bucket{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="500",runner_name="Summarization",le="+Inf"} 6.0
bentoml_service_request_duration_seconds_count{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="500",runner_name="Summarization"} 6.0
bentoml_service_request_duration_seconds_sum{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="500",runner_name="Summarization"} 27.0
bentoml_service_request_duration_seconds_bucket{endpoint="/readyz",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="0.1"} 500.0
bentoml_service_request_duration_seconds_bucket{endpoint="/readyz",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="0.25"} 500.0
bentoml_service_request_duration_seconds_bucket{endpoint="/readyz",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="0.5"} 500.0
bentoml_service_request_duration_seconds_bucket{endpoint="/readyz",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="1.0"} 500.0
bentoml_service_request_duration_seconds_bucket{endpoint="/readyz",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="2.5"} 500.0
bentoml_service_request_duration_seconds_bucket{endpoint="/readyz",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="5.0"} 500.0
bentoml_service_request_duration_seconds_bucket{endpoint="/readyz",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization",le="+Inf"} 500.0
bentoml_service_request_duration_seconds_count{endpoint="/readyz",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization"} 500.0
bentoml_service_request_duration_seconds_sum{endpoint="/readyz",service_name="summarization",service_version="jz6wqkr3xglh5sxb",http_response_code="200",runner_name="Summarization"} 0.5
bentoml_service_request_duration_seconds_bucket{endpoint="/translate",service_name="translator",service_version="not available",http_response_code="200",runner_name="Translator",le="0.1"} 30.0
bentoml_service_request_duration_seconds_bucket{endpoint="/translate",service_name="translator",service_version="not available",http_response_code="200",runner_name="Translator",le="0.25"} 30.0
bentoml_service_request_duration_seconds_bucket{endpoint="/translate",service_name="translator",service_version="not available",http_response_code="200",runner_name="Translator",le="0.5"} 30.0
bentoml_service_request_duration_seconds_bucket{endpoint="/translate",service_name="translator",service_version="not available",http_response_code="200",runner_name="Translator",le="1.0"} 30.0
bentoml_service_request_duration_seconds_bucket{endpoint="/translate",service_name="translator",service_version="not available",http_response_code="200",runner_name="Translator",le="2.5"} 30.0
bentoml_service_request_duration_seconds_bucket{endpoint="/translate",service_name="translator",service_version="not available",http_response_code="200",runner_name="Translator",le="5.0"} 30.0
bentoml_service_request_duration_seconds_bucket{endpoint="/translate",service_name="translator",service_version="not available",http_response_code="200",runner_name="Translator",le="+Inf"} 30.0
bentoml_service_request_duration_seconds_count{endpoint="/translate",service_name="translator",service_version="not available",http_response_code="200",runner_name="Translator"} 30.0
bentoml_service_request_duration_seconds_sum{endpoint="/translate",service_name="translator",service_version="not available",http_response_code="200",runner_name="Translator"} 1.5
# HELP bentoml_service_request_in_progress Total number of runner RPC in progress now
# TYPE bentoml_service_request_in_progress gauge
bentoml_service_request_in_progress{endpoint="/summarize",service_name="summarization",service_version="jz6wqkr3xglh5sxb",runner_name="Summarization"} 2.0
`

func TestBentoMLProfile(t *testing.T) {
	got := evaluate(t, scrapeGrowing(t, bentomlExposition), "bentoml")
	if len(got) != 11 {
		t.Fatalf("bentoml fills %d roles, want 11", len(got))
	}
	sum, tr := lbl("model", "Summarization", "version", "jz6wqkr3xglh5sxb"), lbl("model", "Translator")
	// /readyz probes are not the service's traffic and stay out.
	expect(t, "request_rate", got["request_rate"], want{sum, perSecond(84 + 10 + 6)}, want{tr, perSecond(30)})
	// 5xx only: the 422s are the callers' mistakes.
	expect(t, "error_ratio", got["error_ratio"], want{sum, 6.0 / 100}, want{tr, 0})
	// Summarization over all codes: 10 by 0.1 s, 10 by 0.25, 52 by 0.5,
	// 94 by 1, 94 by 2.5, 100 by 5. Translator: all 30 by 0.1 s.
	expect(t, "latency_p50", got["latency_p50"], want{sum, 0.25 + 0.25*40/42}, want{tr, 0.1 * 15 / 30})
	expect(t, "latency_p95", got["latency_p95"], want{sum, 2.5 + 2.5*1/6}, want{tr, 0.1 * 28.5 / 30})
	expect(t, "latency_p99", got["latency_p99"], want{sum, 2.5 + 2.5*5/6}, want{tr, 0.1 * 29.7 / 30})
	expect(t, "latency_mean", got["latency_mean"], want{sum, (50.4 + 0.3 + 27.0) / 100}, want{tr, 1.5 / 30})
	// Summarization: 94 of 100 within 1 s, over all codes, /readyz left out.
	expectBuckets(t, got["latency_buckets"], want{withLe(sum, "1.0"), perSecond(94)}, want{withLe(sum, "+Inf"), perSecond(100)},
		want{withLe(tr, "0.1"), perSecond(30)})
	expectBurnWindows(t, got, want{sum, 6.0 / 100}, want{tr, 0})
}
