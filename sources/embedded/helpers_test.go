package embedded

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// t0 is the controlled clock's start; any fixed instant works.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// clock is a controlled time source tests advance by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// exporter is a loopback /metrics endpoint whose response a test sets.
type exporter struct {
	srv *httptest.Server

	mu          sync.Mutex
	body        string
	contentType string
	status      int
	accept      string // Accept header of the latest request
}

func newExporter(t testing.TB, body string) *exporter {
	t.Helper()
	x := &exporter{body: body, contentType: "text/plain; version=0.0.4; charset=utf-8", status: http.StatusOK}
	x.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		x.mu.Lock()
		defer x.mu.Unlock()
		x.accept = r.Header.Get("Accept")
		w.Header().Set("Content-Type", x.contentType)
		w.WriteHeader(x.status)
		_, _ = w.Write([]byte(x.body))
	}))
	t.Cleanup(x.srv.Close)
	return x
}

func (x *exporter) URL() string { return x.srv.URL + "/metrics" }

// Instance is the instance label the engine gives the exporter's series.
func (x *exporter) Instance() string {
	u, _ := url.Parse(x.srv.URL)
	return u.Host
}

func (x *exporter) Set(body string) {
	x.mu.Lock()
	x.body = body
	x.mu.Unlock()
}

func (x *exporter) SetStatus(code int) {
	x.mu.Lock()
	x.status = code
	x.mu.Unlock()
}

func (x *exporter) SetContentType(ct string) {
	x.mu.Lock()
	x.contentType = ct
	x.mu.Unlock()
}

func (x *exporter) Accept() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.accept
}

// newTestEngine builds an engine on the clock scraping the given URLs.
func newTestEngine(t *testing.T, c *clock, opts Options, urls ...string) *Engine {
	t.Helper()
	opts.Targets = urls
	if c != nil {
		opts.Now = c.Now
	}
	e, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

// scrapeAt sets the clock to t0+at and scrapes every target once.
func scrapeAt(t *testing.T, e *Engine, c *clock, at time.Duration) error {
	t.Helper()
	c.Set(t0.Add(at))
	return e.ScrapeOnce(context.Background())
}

// query runs an instant query at t0+at that must succeed.
func query(t *testing.T, e *Engine, expr string, at time.Duration) model.Vector {
	t.Helper()
	v, _, err := e.Query(context.Background(), expr, t0.Add(at))
	if err != nil {
		t.Fatalf("query %s at %s: %v", expr, at, err)
	}
	sort.Slice(v, func(i, j int) bool { return v[i].Metric.String() < v[j].Metric.String() })
	return v
}

// queryOne runs an instant query that must return exactly one sample.
func queryOne(t *testing.T, e *Engine, expr string, at time.Duration) float64 {
	t.Helper()
	v := query(t, e, expr, at)
	if len(v) != 1 {
		t.Fatalf("query %s at %s: want 1 sample, got %d: %v", expr, at, len(v), v)
	}
	return float64(v[0].Value)
}

func assertClose(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.15g, want %.15g", what, got, want)
	}
}

func lines(s ...string) string { return strings.Join(s, "\n") + "\n" }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func modelName(s string) model.LabelName { return model.LabelName(s) }

func mustMatchers(t *testing.T, sel string) []*labels.Matcher {
	t.Helper()
	ms, err := parser.NewParser(parser.Options{}).ParseMetricSelector(sel)
	if err != nil {
		t.Fatalf("selector %s: %v", sel, err)
	}
	return ms
}
