package wiring

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/testenv"
)

// A real Prometheus down when mltop starts: detection cannot choose and
// every exporter profile is read, saying why; once the server is back,
// the next attempt detects mltop's convention and the figures are its.
func TestRedetectWhenTheServerComesBack(t *testing.T) {
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{{Model: "fraud", Version: "3", Track: "stable", RPS: 10, ErrorsPerSec: 1, Weight: 100}}, nil)
	prom := testenv.StartPrometheus(t, []string{exp.URL}, time.Second)
	prom.Stop()

	ctx := context.Background()
	cfg := Detect(ctx, detectConfig(t, "window: 10s\nprometheus:\n  url: "+prom.URL+"\n"), nil)
	if d := cfg.Prometheus.Detection; d == nil || d.Detected || !strings.Contains(d.Problem, "connection refused") {
		t.Fatalf("detection with the server down: %+v", d)
	}
	a, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	r, ok := a.metrics.(*redetectSource)
	if !ok {
		t.Fatalf("metrics source %T does not ask again", a.metrics)
	}

	prom.Restart()
	prom.WaitFor("count_over_time(model_predictions_total[10s])", 60*time.Second, func(v model.Vector) bool { return len(v) == 1 && v[0].Value >= 9 })
	r.mu.Lock()
	r.retryAt = time.Time{} // the minute has passed
	r.mu.Unlock()
	snap := a.Poller.PollOnce(ctx)
	src := snap.Sources[0]
	if p := src.Profiles; !src.OK || p == nil || !p.Detected || p.Problem != "" || !slices.Equal(p.Names, []string{"mltop"}) {
		t.Fatalf("source %+v profiles %+v, want mltop detected", src, p)
	}
	if len(snap.Models) != 1 {
		t.Fatalf("%d models", len(snap.Models))
	}
	v := snap.Models[0].Version("3")
	if v == nil || v.RequestsPerSecond == nil || math.Abs(*v.RequestsPerSecond-10) > 2 || v.ErrorRate == nil || math.Abs(*v.ErrorRate-0.1) > 1e-9 {
		t.Errorf("fraud 3: %+v", v)
	}
}
