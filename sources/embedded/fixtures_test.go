package embedded

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mltop/mltop/internal/testenv"
)

// TestRealExporterOutput scrapes the recorded Triton, Argo Rollouts and
// TorchServe expositions and checks series counts and a few lines by value.
func TestRealExporterOutput(t *testing.T) {
	dir := testenv.Fixture(t, "metrics")
	cases := []struct {
		file    string
		samples int // sample lines in the file
		checks  map[string]float64
	}{
		{
			file:    "triton-metrics.prom",
			samples: 38,
			checks: map[string]float64{
				`nv_inference_request_success{model="densenet_onnx",version="1"}`:                3,
				`nv_inference_request_duration_us{model="densenet_onnx",version="1"}`:            1327965,
				`nv_gpu_memory_total_bytes{gpu_uuid="GPU-951eeeeb-d284-d263-688e-d98a5306389b"}`: 16106127360,
				`nv_energy_consumption`: 4879631.328000044,
				`nv_inference_request_summary_us{model="densenet_onnx",quantile="0.99"}`: 3,
				`count(nv_inference_count)`: 2,
			},
		},
		{
			file:    "argo-rollouts-controller.prom",
			samples: 40,
			checks: map[string]float64{
				`argo_rollouts_controller_info{version="v1.6.4+a312af9"}`:             1,
				`rollout_info{phase="Completed",strategy="canary",traffic_router=""}`: 1,
				`notification_send_bucket{le="1.0"}`:                                  94,
				`rollout_reconcile_bucket{le="0.15"}`:                                 100,
				`rollout_reconcile_sum`:                                               2.164373963000001,
				`sum(rollout_events_total)`:                                           47,
				`rollout_phase{phase="Completed"}`:                                    1,
			},
		},
		{
			file:    "torchserve-metrics.prom", // lines end in ",}"
			samples: 45,
			checks: map[string]float64{
				`Requests5XX{Level="Host",Hostname="21c5890122fc"}`:                                       60,
				`ts_queue_latency_microseconds{model_name="linear_regression_3_2"}`:                       4246.4169999999995,
				`ts_inference_requests_total{model_name="linear_regression_2_2",model_version="default"}`: 11,
				`HandlerTime{ModelName="linear_regression_2_3"}`:                                          0.92,
				`count(WorkerLoadTime)`: 5,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			c := newClock()
			x := newExporter(t, string(body))
			e := newTestEngine(t, c, Options{Interval: step}, x.URL())
			if err := scrapeAt(t, e, c, 0); err != nil {
				t.Fatal(err)
			}
			if h := e.Targets()[0]; !h.Up || h.Samples != tc.samples {
				t.Errorf("health = %+v, want up with %d samples", h, tc.samples)
			}
			assertClose(t, "scrape_samples_scraped", queryOne(t, e, "scrape_samples_scraped", 0), float64(tc.samples))
			// Every sample line is its own series, plus the 5 synthetic ones.
			if got := e.Stats().Series; got != tc.samples+5 {
				t.Errorf("series = %d, want %d", got, tc.samples+5)
			}
			for expr, want := range tc.checks {
				assertClose(t, expr, queryOne(t, e, expr, 0), want)
			}
		})
	}
}
