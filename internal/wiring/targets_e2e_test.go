package wiring

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/testenv/demorig"
	"github.com/mltop/mltop/sources/embedded"
)

// killableExporter serves one model's metrics on a fixed loopback address
// and can be killed (connections refused) and restarted there, as an
// exporter process would be. Its counters follow the test clock: 20
// predictions a second, none failing.
type killableExporter struct {
	t     *testing.T
	model string
	addr  string
	clock *demorig.Clock
	start time.Time

	mu  sync.Mutex
	srv *http.Server
}

const exporterRPS = 20.0

func startKillable(t *testing.T, model string, clock *demorig.Clock) *killableExporter {
	t.Helper()
	x := &killableExporter{t: t, model: model, clock: clock, start: clock.Now()}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	x.addr = ln.Addr().String()
	x.serve(ln)
	t.Cleanup(x.kill)
	return x
}

func (x *killableExporter) URL() string { return "http://" + x.addr + "/metrics" }

func (x *killableExporter) serve(ln net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(x.metrics), ReadHeaderTimeout: 5 * time.Second}
	x.mu.Lock()
	x.srv = srv
	x.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

func (x *killableExporter) metrics(w http.ResponseWriter, _ *http.Request) {
	n := exporterRPS * x.clock.Now().Sub(x.start).Seconds()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintf(w, "# TYPE model_predictions_total counter\nmodel_predictions_total{model=%q,version=\"1\"} %g\n", x.model, n)
	fmt.Fprintf(w, "# TYPE model_prediction_errors_total counter\nmodel_prediction_errors_total{model=%q,version=\"1\"} 0\n", x.model)
}

// kill closes the listener and every connection: scrapes are refused.
func (x *killableExporter) kill() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.srv != nil {
		_ = x.srv.Close()
		x.srv = nil
	}
}

// restart listens again on the same address.
func (x *killableExporter) restart() {
	x.t.Helper()
	ln, err := net.Listen("tcp", x.addr)
	if err != nil {
		x.t.Fatalf("restart exporter on %s: %v", x.addr, err)
	}
	x.serve(ln)
}

// targetsRig is seven exporters, one model each, scraped by the built-in
// engine and polled with the default queries, all on the test clock: each
// step scrapes once and refreshes once.
type targetsRig struct {
	clock     *demorig.Clock
	exporters []*killableExporter
	eng       *embedded.Engine
	poller    *poll.Poller
}

func startTargetsRig(t *testing.T) *targetsRig {
	t.Helper()
	r := &targetsRig{clock: demorig.NewClock(demorig.StoryStart)}
	var urls []string
	for i := range 7 {
		x := startKillable(t, fmt.Sprintf("model-%d", i), r.clock)
		r.exporters = append(r.exporters, x)
		urls = append(urls, x.URL())
	}
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Scrape.Targets = urls
	cfg.Window = 30 * time.Second
	qs, err := pollQueries(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.eng, err = embedded.New(embedded.Options{Targets: urls, Interval: demorig.ScrapeEvery, Timeout: demorig.ScrapeEvery, Now: r.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	r.poller = poll.New(poll.Options{Metrics: r.eng, Queries: qs, Now: r.clock.Now, Refresh: demorig.ScrapeEvery,
		Deadline: 10 * time.Second, Thresholds: thresholds(cfg), Logger: slog.New(slog.DiscardHandler)})
	return r
}

// step moves the clock on by one scrape interval, scrapes every target
// and refreshes.
func (r *targetsRig) step(t *testing.T) fleet.Snapshot {
	t.Helper()
	r.clock.Advance(demorig.ScrapeEvery)
	_ = r.eng.ScrapeOnce(context.Background()) // failures are in the targets' health
	return r.poller.PollOnce(context.Background())
}

// warm steps until every model has its rate and is healthy.
func (r *targetsRig) warm(t *testing.T) fleet.Snapshot {
	t.Helper()
	var s fleet.Snapshot
	for range 10 {
		s = r.step(t)
	}
	if len(s.Models) != 7 {
		t.Fatalf("after warming up: %d models, want 7", len(s.Models))
	}
	for _, m := range s.Models {
		if m.Health.Status != fleet.StatusOK {
			t.Fatalf("after warming up: %s is %s (%v), want ok", m.Name, m.Health.Status, m.Health.Findings)
		}
	}
	if src := s.Sources[0]; !src.OK || len(src.Warnings) > 0 {
		t.Fatalf("after warming up: source %+v", src)
	}
	return s
}

func rpsOf(t *testing.T, v *fleet.Version) float64 {
	t.Helper()
	if v.RequestsPerSecond == nil {
		t.Fatalf("v%s has no request rate", v.Version)
	}
	return *v.RequestsPerSecond
}

// TestAllTargetsDown: with every exporter killed, the next refresh shows
// the source failed with 7/7 targets down and why, no model ok, each
// version's last values held with the time they were fresh; check exits 2.
// Restarted, one refresh brings everything back.
func TestAllTargetsDown(t *testing.T) {
	r := startTargetsRig(t)
	r.warm(t)
	lastGood := r.clock.Now()
	for _, x := range r.exporters {
		x.kill()
	}
	var s fleet.Snapshot
	for i := 1; i <= 3; i++ {
		s = r.step(t)
		src := s.Sources[0]
		if i <= 2 && src.OK {
			continue // within two refreshes
		}
		if src.OK || !strings.HasPrefix(src.Error, "7/7 targets down") || !strings.Contains(src.Error, "connection refused") {
			t.Fatalf("refresh %d after the kill: source ok=%v error %q, want failed with 7/7 targets down: connection refused", i, src.OK, src.Error)
		}
		if down, total := src.TargetsDown(); down != 7 || total != 7 {
			t.Errorf("targets down %d/%d, want 7/7", down, total)
		}
		if !src.LastSuccess.Equal(lastGood) {
			t.Errorf("source data as of %v, want the last good scrape %v", src.LastSuccess, lastGood)
		}
		for _, m := range s.Models {
			if m.Health.Status == fleet.StatusOK {
				t.Errorf("refresh %d: %s is ok on data from dead exporters", i, m.Name)
			}
			v := &m.Versions[0]
			if !v.StaleSince.Equal(lastGood) {
				t.Errorf("%s v%s stale since %v, want %v", m.Name, v.Version, v.StaleSince, lastGood)
			}
			if got := rpsOf(t, v); math.Abs(got-exporterRPS) > 0.5 {
				t.Errorf("%s: held request rate %.2f, want the last one, %.0f", m.Name, got, exporterRPS)
			}
			want := fmt.Sprintf("unknown (data %.0fs old)", s.TakenAt.Sub(lastGood).Seconds())
			if f := v.Health.Findings; len(f) == 0 || f[0].Check != fleet.CheckStale || f[0].Message != want {
				t.Errorf("%s findings %v, want first %q", m.Name, f, want)
			}
		}
		if r := report.Evaluate(s); r.Code != report.CheckFailed {
			t.Errorf("check with every target down: code %d (%s), want %d", r.Code, r.Status, report.CheckFailed)
		}
	}
	if len(s.Models) != 7 {
		t.Fatalf("%d models while the exporters are down, want all 7 held", len(s.Models))
	}

	for _, x := range r.exporters {
		x.restart()
	}
	s = r.step(t)
	src := s.Sources[0]
	if !src.OK || src.Error != "" || len(src.Warnings) > 0 {
		t.Fatalf("one refresh after the restart: source %+v", src)
	}
	for _, m := range s.Models {
		v := &m.Versions[0]
		if !v.StaleSince.IsZero() || m.Health.Status != fleet.StatusOK {
			t.Errorf("after the restart: %s stale since %v, health %s %v", m.Name, v.StaleSince, m.Health.Status, m.Health.Findings)
		}
	}
	if r := report.Evaluate(s); r.Code != report.CheckHealthy {
		t.Errorf("check after the restart: code %d %v", r.Code, r.Failures)
	}
}

// TestOneTargetDown: one exporter of seven killed shows ⚠ (ok, with a
// warning naming 1/7 targets down) and only its model stale.
func TestOneTargetDown(t *testing.T) {
	r := startTargetsRig(t)
	r.warm(t)
	lastGood := r.clock.Now()
	r.exporters[3].kill()
	var s fleet.Snapshot
	for i := 1; i <= 2; i++ {
		s = r.step(t)
		if len(s.Sources[0].Warnings) > 0 {
			break
		}
	}
	src := s.Sources[0]
	if !src.OK || len(src.Warnings) == 0 || !strings.HasPrefix(src.Warnings[0], "1/7 targets down: connection refused") {
		t.Fatalf("source with one target down: ok=%v warnings %q", src.OK, src.Warnings)
	}
	if ft := src.FirstDown(); ft == nil || ft.URL != r.exporters[3].URL() ||
		len(ft.Series) != 1 || ft.Series[0] != (fleet.ModelVersion{Model: "model-3", Version: "1"}) {
		t.Errorf("first down target %+v, want %s carrying model-3 v1", ft, r.exporters[3].URL())
	}
	for _, m := range s.Models {
		v := &m.Versions[0]
		if m.Name == "model-3" {
			if !v.StaleSince.Equal(lastGood) || m.Health.Status == fleet.StatusOK {
				t.Errorf("model-3: stale since %v, health %s; want stale since %v and not ok", v.StaleSince, m.Health.Status, lastGood)
			}
			if got := rpsOf(t, v); math.Abs(got-exporterRPS) > 0.5 {
				t.Errorf("model-3: held request rate %.2f, want %.0f", got, exporterRPS)
			}
			continue
		}
		if !v.StaleSince.IsZero() || m.Health.Status != fleet.StatusOK {
			t.Errorf("%s is stale since %v, health %s: only model-3's exporter is down", m.Name, v.StaleSince, m.Health.Status)
		}
	}

	r.exporters[3].restart()
	s = r.step(t)
	if src := s.Sources[0]; !src.OK || len(src.Warnings) > 0 {
		t.Fatalf("one refresh after the restart: source %+v", src)
	}
	for _, m := range s.Models {
		if !m.Versions[0].StaleSince.IsZero() || m.Health.Status != fleet.StatusOK {
			t.Errorf("after the restart: %s stale since %v, health %s", m.Name, m.Versions[0].StaleSince, m.Health.Status)
		}
	}
}
