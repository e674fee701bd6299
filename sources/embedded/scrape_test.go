package embedded

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/prometheus/prometheus/model/value"
)

func TestStalenessMarkerHidesVanishedSeries(t *testing.T) {
	c := newClock()
	x := newExporter(t, lines(`a{x="1"} 1`, `a{x="2"} 2`))
	e := newTestEngine(t, c, Options{Interval: step}, x.URL())
	for i := range 2 {
		if err := scrapeAt(t, e, c, time.Duration(i)*step); err != nil {
			t.Fatal(err)
		}
	}
	x.Set(lines(`a{x="1"} 1`))
	if err := scrapeAt(t, e, c, 2*step); err != nil {
		t.Fatal(err)
	}

	// Just before the third scrape both series are there.
	if v := query(t, e, "a", 2*step-time.Millisecond); len(v) != 2 {
		t.Fatalf("before the marker: want 2 series, got %v", v)
	}
	// From the third scrape on, x="2" is gone, although its last real
	// sample (15 s) is well within the 5m lookback.
	for _, at := range []time.Duration{2 * step, 2*step + time.Second, 4 * time.Minute} {
		v := query(t, e, "a", at)
		if len(v) != 1 || v[0].Metric["x"] != "1" {
			t.Errorf("at %s: want only a{x=\"1\"}, got %v", at, v)
		}
	}
	// The marker itself is in storage.
	if !hasStaleMarker(t, e, `a{x="2"}`) {
		t.Error("no staleness marker stored for a{x=\"2\"}")
	}
	// The series comes back when exposed again.
	x.Set(lines(`a{x="1"} 1`, `a{x="2"} 5`))
	if err := scrapeAt(t, e, c, 3*step); err != nil {
		t.Fatal(err)
	}
	assertClose(t, `a{x="2"}`, queryOne(t, e, `a{x="2"}`, 3*step), 5)
}

// hasStaleMarker reports whether the series selected by sel holds a
// staleness marker, reading storage directly (PromQL never returns one).
func hasStaleMarker(t *testing.T, e *Engine, sel string) bool {
	t.Helper()
	q, err := e.store.Querier(math.MinInt64, math.MaxInt64)
	if err != nil {
		t.Fatal(err)
	}
	ss := q.Select(context.Background(), false, nil, mustMatchers(t, sel)...)
	for ss.Next() {
		it := ss.At().Iterator(nil)
		for it.Next() != 0 {
			if _, v := it.At(); value.IsStaleNaN(v) {
				return true
			}
		}
	}
	return false
}

func TestTargetDownAndBack(t *testing.T) {
	c := newClock()
	x := newExporter(t, lines("# TYPE g gauge", "g 7"))
	e := newTestEngine(t, c, Options{Interval: step}, x.URL())
	if err := scrapeAt(t, e, c, 0); err != nil {
		t.Fatal(err)
	}
	assertClose(t, "up", queryOne(t, e, "up", 0), 1)

	x.SetStatus(http.StatusInternalServerError)
	err := scrapeAt(t, e, c, step)
	if err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("scrape of a failing target: want an HTTP 500 error, got %v", err)
	}
	assertClose(t, "up while down", queryOne(t, e, "up", step), 0)
	if v := query(t, e, "g", step); len(v) != 0 {
		t.Errorf("series of a down target should be stale, got %v", v)
	}
	h := e.Targets()[0]
	if h.Up || h.LastError == "" || !h.LastScrape.Equal(t0.Add(step)) {
		t.Errorf("health while down = %+v", h)
	}
	// The synthetic series stay fresh while the target is down.
	assertClose(t, "scrape_samples_scraped", queryOne(t, e, "scrape_samples_scraped", step), 0)

	x.SetStatus(http.StatusOK)
	if err := scrapeAt(t, e, c, 2*step); err != nil {
		t.Fatal(err)
	}
	assertClose(t, "up again", queryOne(t, e, "up", 2*step), 1)
	assertClose(t, "g again", queryOne(t, e, "g", 2*step), 7)
	if h := e.Targets()[0]; !h.Up || h.LastError != "" || h.Samples != 1 {
		t.Errorf("health after recovery = %+v", h)
	}
	if got := e.Scrapes(); got != 3 {
		t.Errorf("Scrapes() = %d, want 3", got)
	}
}

func TestUnreachableTargetTimesOut(t *testing.T) {
	c := newClock()
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	defer close(block)
	e := newTestEngine(t, c, Options{Interval: step, Timeout: 50 * time.Millisecond}, srv.URL+"/metrics")
	err := scrapeAt(t, e, c, 0)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want a deadline error, got %v", err)
	}
	assertClose(t, "up", queryOne(t, e, "up", 0), 0)
}

func TestGarbageExpositionLeavesOtherTargetsAlone(t *testing.T) {
	c := newClock()
	good := newExporter(t, lines("# TYPE ok gauge", "ok 1"))
	bad := newExporter(t, lines("# TYPE bad gauge", "bad 1"))
	e := newTestEngine(t, c, Options{Interval: step}, good.URL(), bad.URL())
	if err := scrapeAt(t, e, c, 0); err != nil {
		t.Fatal(err)
	}
	bad.Set("bad{ this is not an exposition\n")
	err := scrapeAt(t, e, c, step)
	if err == nil || !strings.Contains(err.Error(), bad.URL()) {
		t.Fatalf("want an error naming the bad target, got %v", err)
	}
	hs := e.Targets()
	if !hs[0].Up || hs[0].LastError != "" {
		t.Errorf("good target health = %+v", hs[0])
	}
	if hs[1].Up || !strings.Contains(hs[1].LastError, "parse") {
		t.Errorf("bad target health = %+v", hs[1])
	}
	assertClose(t, "good up", queryOne(t, e, `up{instance="`+good.Instance()+`"}`, step), 1)
	assertClose(t, "bad up", queryOne(t, e, `up{instance="`+bad.Instance()+`"}`, step), 0)
	assertClose(t, "ok", queryOne(t, e, "ok", step), 1)
	if v := query(t, e, "bad", step); len(v) != 0 {
		t.Errorf("a broken exposition keeps nothing and stales the old series, got %v", v)
	}
}

func TestTargetLabelConflicts(t *testing.T) {
	c := newClock()
	x := newExporter(t, lines(`m{job="x",instance="y",exported_job="z",empty=""} 1`))
	e := newTestEngine(t, c, Options{Interval: step, Job: "models"}, x.URL())
	if err := scrapeAt(t, e, c, 0); err != nil {
		t.Fatal(err)
	}
	v := query(t, e, "m", 0)
	if len(v) != 1 {
		t.Fatalf("want 1 series, got %v", v)
	}
	// honor_labels: false: target labels win; exposed values are renamed,
	// exported_exported_job because exported_job is taken; empty labels vanish.
	want := map[string]string{
		"__name__": "m", "job": "models", "instance": x.Instance(),
		"exported_job": "z", "exported_exported_job": "x", "exported_instance": "y",
	}
	if len(v[0].Metric) != len(want) {
		t.Errorf("labels = %v, want %v", v[0].Metric, want)
	}
	for k, val := range want {
		if got := string(v[0].Metric[modelName(k)]); got != val {
			t.Errorf("label %s = %q, want %q", k, got, val)
		}
	}
}

func TestDuplicatesAndExplicitTimestamps(t *testing.T) {
	c := newClock()
	ts := t0.Add(-10 * time.Second).UnixMilli()
	x := newExporter(t, lines(
		"d 1", "d 2", // the second is dropped, as in Prometheus
		"e 3 "+itoa(ts),
	))
	e := newTestEngine(t, c, Options{Interval: step}, x.URL())
	if err := scrapeAt(t, e, c, 0); err != nil {
		t.Fatalf("duplicates must not fail the scrape: %v", err)
	}
	assertClose(t, "d", queryOne(t, e, "d", 0), 1)
	assertClose(t, "timestamp(e)", queryOne(t, e, "timestamp(e)", 0), float64(ts)/1000)
	assertClose(t, "scrape_samples_scraped", queryOne(t, e, "scrape_samples_scraped", 0), 3)

	// An older explicit timestamp is out of order: dropped, scrape still fine.
	x.Set(lines("d 1", "e 4 "+itoa(ts-1000)))
	if err := scrapeAt(t, e, c, step); err != nil {
		t.Fatal(err)
	}
	assertClose(t, "e keeps its newer sample", queryOne(t, e, "e", step), 3)
	// Series with explicit timestamps get no staleness markers: e is still
	// there (lookback) after it disappears.
	x.Set(lines("d 1"))
	if err := scrapeAt(t, e, c, 2*step); err != nil {
		t.Fatal(err)
	}
	assertClose(t, "e after vanishing", queryOne(t, e, "e", 2*step), 3)
}

func TestOpenMetricsResponse(t *testing.T) {
	c := newClock()
	ts := t0.Add(-5 * time.Second)
	x := newExporter(t, lines(
		"# TYPE om_requests counter",
		`om_requests_total{code="200"} 42.0`,
		`om_requests_created{code="200"} 1.7e+09`,
		"# TYPE om_temp_celsius gauge",
		"# UNIT om_temp_celsius celsius",
		"om_temp_celsius 21.5 "+itoa(ts.Unix()), // OpenMetrics timestamps are seconds
		"# TYPE om_latency histogram",
		`om_latency_bucket{le="1"} 3`,
		`om_latency_bucket{le="+Inf"} 4`,
		"om_latency_count 4",
		"om_latency_sum 2.5",
		"# EOF",
	))
	x.SetContentType("application/openmetrics-text; version=1.0.0; charset=utf-8")
	e := newTestEngine(t, c, Options{Interval: step}, x.URL())
	if err := scrapeAt(t, e, c, 0); err != nil {
		t.Fatal(err)
	}
	if a := x.Accept(); !strings.HasPrefix(a, "application/openmetrics-text;version=1.0.0") || !strings.Contains(a, "text/plain;version=0.0.4") {
		t.Errorf("Accept = %q, want OpenMetrics first, then the text format", a)
	}
	assertClose(t, "counter", queryOne(t, e, `om_requests_total{code="200"}`, 0), 42)
	// Without start-timestamp ingestion Prometheus keeps _created as a series.
	assertClose(t, "created", queryOne(t, e, "om_requests_created", 0), 1.7e9)
	assertClose(t, "gauge", queryOne(t, e, "om_temp_celsius", 0), 21.5)
	assertClose(t, "gauge timestamp", queryOne(t, e, "timestamp(om_temp_celsius)", 0), float64(ts.Unix()))
	assertClose(t, "bucket", queryOne(t, e, `om_latency_bucket{le="1.0"}`, 0), 3)
	assertClose(t, "samples scraped", queryOne(t, e, "scrape_samples_scraped", 0), 7)

	// OpenMetrics without # EOF is invalid: the scrape fails.
	x.Set(lines(`om_requests_total{code="200"} 43.0`))
	if err := scrapeAt(t, e, c, step); err == nil {
		t.Error("truncated OpenMetrics: want an error")
	}
}

func TestEmptyBodyStalesEverythingButStaysUp(t *testing.T) {
	c := newClock()
	x := newExporter(t, lines("g 1"))
	e := newTestEngine(t, c, Options{Interval: step}, x.URL())
	if err := scrapeAt(t, e, c, 0); err != nil {
		t.Fatal(err)
	}
	x.Set("")
	if err := scrapeAt(t, e, c, step); err != nil {
		t.Fatal(err)
	}
	assertClose(t, "up", queryOne(t, e, "up", step), 1)
	if v := query(t, e, "g", step); len(v) != 0 {
		t.Errorf("want g stale after an empty exposition, got %v", v)
	}
}

func TestRunScrapesUntilCancelled(t *testing.T) {
	x1 := newExporter(t, lines("r 1"))
	x2 := newExporter(t, lines("r 2"))
	e := newTestEngine(t, nil, Options{Interval: 20 * time.Millisecond}, x1.URL(), x2.URL())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		e.Run(ctx)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for e.Scrapes() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d scrape rounds after 10s", e.Scrapes())
		}
		time.Sleep(5 * time.Millisecond) // polling for data, with a deadline
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	v, _, err := e.Query(context.Background(), "sum(r)", time.Time{})
	if err != nil || len(v) != 1 || v[0].Value != 3 {
		t.Errorf("sum(r) = %v, %v; want 3", v, err)
	}
}

func TestNewValidates(t *testing.T) {
	for name, opts := range map[string]Options{
		"no targets":      {},
		"not http":        {Targets: []string{"ftp://127.0.0.1/metrics"}},
		"no host":         {Targets: []string{"http:///metrics"}},
		"twice":           {Targets: []string{"http://127.0.0.1:1/m", "http://127.0.0.1:1/m"}},
		"timeout too big": {Targets: []string{"http://127.0.0.1:1/m"}, Interval: time.Second, Timeout: 2 * time.Second},
	} {
		if _, err := New(opts); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	e, err := New(Options{Targets: []string{"http://127.0.0.1:1/metrics"}})
	if err != nil {
		t.Fatal(err)
	}
	if e.opts.Interval != DefaultInterval || e.opts.Timeout != DefaultInterval || e.opts.Retention != DefaultRetention || e.opts.Logger == nil {
		t.Errorf("defaults not applied: %+v", e.opts)
	}
	if e.Name() != "embedded" || e.Kind() != "embedded" {
		t.Errorf("Name/Kind = %q/%q", e.Name(), e.Kind())
	}
}

func TestCancelledScrapeRecordsNothing(t *testing.T) {
	c := newClock()
	x := newExporter(t, lines("g 1"))
	e := newTestEngine(t, c, Options{Interval: step}, x.URL())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c.Set(t0)
	if err := e.ScrapeOnce(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if h := e.Targets()[0]; !h.LastScrape.IsZero() || e.Scrapes() != 0 || e.Stats().Series != 0 {
		t.Errorf("a cancelled scrape left traces: %+v, %d rounds, %+v", h, e.Scrapes(), e.Stats())
	}
}

// TestReadCappedReadsWholeBodiesAndStopsAtTheCap reads bodies around the
// chunk sizes whole, fails one past the cap, and fails one cut short.
func TestReadCappedReadsWholeBodiesAndStopsAtTheCap(t *testing.T) {
	for _, n := range []int{0, 1, firstChunk - 1, firstChunk, firstChunk + 1, 3*maxChunk + 17} {
		want := bytes.Repeat([]byte("x"), n)
		got, err := readCapped(bytes.NewReader(want), 4*maxChunk)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%d bytes: got %d bytes, %v", n, len(got), err)
		}
	}
	if _, err := readCapped(bytes.NewReader(make([]byte, 2*maxChunk+1)), 2*maxChunk); err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Errorf("over the cap: %v, want body exceeds", err)
	}
	cut := io.MultiReader(bytes.NewReader(make([]byte, 100)), iotest.ErrReader(io.ErrUnexpectedEOF))
	if _, err := readCapped(cut, maxChunk); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut short: %v, want unexpected EOF", err)
	}
}
