package wiring

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
)

// namer answers MetricNames as told and records what it was asked.
type namer struct {
	names   []string
	err     error
	matches []string
	start   time.Time
}

func (n *namer) MetricNames(ctx context.Context, matches []string, start, _ time.Time, _ int) ([]string, error) {
	if _, ok := ctx.Deadline(); !ok {
		return nil, errors.New("asked without a deadline")
	}
	n.matches, n.start = matches, start
	return n.names, n.err
}

func detectConfig(t *testing.T, yaml string) *config.Config {
	t.Helper()
	c, err := config.Parse("config.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDetectPicksTheProfilesPresent(t *testing.T) {
	cfg := detectConfig(t, "prometheus:\n  url: http://127.0.0.1:9\n")
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	n := &namer{names: []string{"model_infer_request_duration_count", "model_predictions_total", "rollout_info"}}
	got := detectWith(context.Background(), cfg, n, now, slog.New(slog.DiscardHandler))
	if want := []string{"mltop", "mlserver", "argo-rollouts"}; !slices.Equal(got.Prometheus.Profile, want) {
		t.Errorf("profiles %v, want %v", got.Prometheus.Profile, want)
	}
	if d := got.Prometheus.Detection; d == nil || !d.Detected || d.Problem != "" {
		t.Errorf("detection %+v, want detected", d)
	}
	// Bounded: one exact selector per metric looked for, the last hour.
	if len(n.matches) != len(config.DetectionMetrics()) || !slices.Contains(n.matches, `{__name__="model_predictions_total"}`) {
		t.Errorf("match[] %v", n.matches)
	}
	if !n.start.Equal(now.Add(-time.Hour)) {
		t.Errorf("looked from %v, want an hour before %v", n.start, now)
	}
	if p := metricsProfiles(got, &namerSource{}); !p.Detected || !slices.Equal(p.Names, got.Prometheus.Profile) {
		t.Errorf("status profiles %+v", p)
	}
}

// A failed question or an empty answer reads every exporter profile and
// says why; it never keeps the default profile silently.
func TestDetectFailureReadsEveryExporterProfile(t *testing.T) {
	cfg := detectConfig(t, "prometheus:\n  url: http://127.0.0.1:9\n")
	for _, tc := range []struct {
		name    string
		n       *namer
		problem string
		want    []string
	}{
		{"server down", &namer{err: errors.New("connection refused by 127.0.0.1:9: is the server running, and is the URL right?")},
			"profiles not detected: connection refused by 127.0.0.1:9", config.ExporterProfiles()},
		{"nothing there", &namer{}, "no exporter profile's metrics on the server in the last hour (looked for model_predictions_total, nv_inference_request_failure, nv_inference_request_success, model_infer_request_duration_count, seldon_model_infer_total, request_predict_seconds_count, ts_inference_requests_total, bentoml_service_request_total)", config.ExporterProfiles()},
		{"a rollout controller alone", &namer{names: []string{"flagger_canary_weight"}}, "no exporter profile's metrics",
			append(config.ExporterProfiles(), "flagger")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := detectWith(context.Background(), cfg, tc.n, time.Now(), slog.New(slog.DiscardHandler))
			if !slices.Equal(got.Prometheus.Profile, tc.want) {
				t.Errorf("profiles %v, want %v", got.Prometheus.Profile, tc.want)
			}
			d := got.Prometheus.Detection
			if d == nil || d.Detected || !strings.Contains(d.Problem, tc.problem) {
				t.Errorf("detection %+v, want a problem containing %q", d, tc.problem)
			}
			if _, err := got.Queries(); err != nil {
				t.Errorf("the fallback does not render: %v", err)
			}
		})
	}
}

// An explicit profile, or no server to ask, is left alone: nothing asked.
func TestDetectOff(t *testing.T) {
	for _, yaml := range []string{
		"prometheus:\n  url: http://127.0.0.1:9\n  profile: triton\n",
		"scrape:\n  targets: [http://127.0.0.1:9/metrics]\n",
	} {
		cfg := detectConfig(t, yaml)
		if got := Detect(context.Background(), cfg, nil); got != cfg || got.Prometheus.Detection != nil {
			t.Errorf("%q: detection ran", yaml)
		}
	}
}

type namerSource struct{ namer }

func (*namerSource) Name() string { return "prometheus" }
func (*namerSource) Kind() string { return "prometheus" }
func (*namerSource) Query(context.Context, string, time.Time) (m model.Vector, w []string, err error) {
	return nil, nil, nil
}
