package profilecheck

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/sources/embedded"
)

// Scrapes happen every step from t0; counters grow linearly, so rate() over
// a minute ending at the last scrape is exact (Prometheus's extrapolation of
// a straight line is the line).
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	step    = 15 * time.Second
	scrapes = 5 // at 0, 15, 30, 45 and 60 s
)

// queryAt is the last scrape, where every test evaluates.
var queryAt = t0.Add((scrapes - 1) * step)

// perSecond is the rate a profile sees for a counter whose exposed value is
// base: scrape i serves base × (1+i), so the counter grows by base per step.
func perSecond(base float64) float64 { return base / step.Seconds() }

// clock is the engine's time source, set by hand before each scrape.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// exporter serves one exposition on loopback; the test swaps the body.
type exporter struct {
	srv  *httptest.Server
	mu   sync.Mutex
	body string
}

func newExporter(t *testing.T) *exporter {
	t.Helper()
	x := &exporter{}
	x.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		x.mu.Lock()
		defer x.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_, _ = w.Write([]byte(x.body))
	}))
	t.Cleanup(x.srv.Close)
	return x
}

func (x *exporter) set(body string) {
	x.mu.Lock()
	x.body = body
	x.mu.Unlock()
}

// scrapeGrowing serves each exposition from its own exporter and scrapes
// them all at every step, multiplying counters, histograms and summary
// counts and sums by 1+i at scrape i. Gauges and summary quantiles stay.
func scrapeGrowing(t *testing.T, bodies ...string) *embedded.Engine {
	t.Helper()
	c := &clock{now: t0}
	xs := make([]*exporter, len(bodies))
	urls := make([]string, len(bodies))
	for i := range bodies {
		xs[i] = newExporter(t)
		urls[i] = xs[i].srv.URL + "/metrics"
	}
	e, err := embedded.New(embedded.Options{Targets: urls, Interval: step, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	for i := range scrapes {
		for j, body := range bodies {
			xs[j].set(scaleCounters(t, body, float64(1+i)))
		}
		c.set(t0.Add(time.Duration(i) * step))
		if err := e.ScrapeOnce(context.Background()); err != nil {
			t.Fatalf("scrape %d: %v", i, err)
		}
	}
	for _, h := range e.Targets() {
		if !h.Up {
			t.Fatalf("target %+v is down", h)
		}
	}
	return e
}

// scaleCounters multiplies the value of every cumulative sample by k, going by
// the exposition's TYPE lines.
func scaleCounters(t *testing.T, body string, k float64) string {
	t.Helper()
	types := map[string]string{}
	lines := strings.Split(body, "\n")
	for i, line := range lines {
		if f := strings.Fields(line); len(f) == 4 && f[0] == "#" && f[1] == "TYPE" {
			types[f[2]] = f[3]
			continue
		}
		if line == "" || line[0] == '#' {
			continue
		}
		name := line[:strings.IndexAny(line, "{ ")]
		if !cumulative(name, types) {
			continue
		}
		sp := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[sp+1:], 64)
		if err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		lines[i] = line[:sp+1] + strconv.FormatFloat(v*k, 'g', -1, 64)
	}
	return strings.Join(lines, "\n")
}

func cumulative(name string, types map[string]string) bool {
	if types[name] == "counter" {
		return true
	}
	for _, suffix := range []string{"_total", "_bucket", "_sum", "_count"} {
		if family, ok := strings.CutSuffix(name, suffix); ok {
			switch types[family] {
			case "counter", "histogram", "summary":
				return true
			}
		}
	}
	return false
}

// evaluate renders the profiles with a one-minute window and runs every
// query at queryAt, by role.
func evaluate(t *testing.T, e *embedded.Engine, profiles ...string) map[string]model.Vector {
	t.Helper()
	return evaluateConfig(t, e, profileConfig(profiles...))
}

// profileConfig selects the profiles, with a one-minute window.
func profileConfig(profiles ...string) *config.Config {
	c := config.DefaultEnv(nil)
	c.Prometheus.Profile = profiles
	c.Window = time.Minute
	return c
}

// evaluateConfig runs every query c renders at queryAt, by role.
func evaluateConfig(t *testing.T, e *embedded.Engine, c *config.Config) map[string]model.Vector {
	t.Helper()
	qs, err := c.Queries()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]model.Vector{}
	for _, q := range qs {
		v, _, err := e.Query(context.Background(), q.Expr, queryAt)
		if err != nil {
			t.Fatalf("%s: %v", q.Role, err)
		}
		out[q.Role] = v
	}
	return out
}

// want is one expected sample: its exact label set and value (NaN for "no
// traffic, so unknown").
type want struct {
	labels model.Metric
	value  float64
}

// lbl builds a label set from name, value pairs; empty values are left out,
// as Prometheus leaves them out.
func lbl(kv ...string) model.Metric {
	m := model.Metric{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			m[model.LabelName(kv[i])] = model.LabelValue(kv[i+1])
		}
	}
	return m
}

// expect checks that got holds exactly the wanted samples.
func expect(t *testing.T, role string, got model.Vector, wants ...want) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range wants {
		found := false
		for i, s := range got {
			if used[i] || !s.Metric.Equal(w.labels) {
				continue
			}
			used[i], found = true, true
			if v := float64(s.Value); !sameValue(v, w.value) {
				t.Errorf("%s %v = %.15g, want %.15g", role, w.labels, v, w.value)
			}
			break
		}
		if !found {
			t.Errorf("%s: no sample %v in %v", role, w.labels, got)
		}
	}
	for i, s := range got {
		if !used[i] {
			t.Errorf("%s: unexpected sample %v", role, s)
		}
	}
}

func sameValue(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

// fixture reads a recorded exposition from ../shared/fixtures/metrics next to
// the repository root. Without it the test is skipped, unless CI is set.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(testenv.Fixture(t, "metrics", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// expectBurnWindows checks the burn-rate roles on a recording that spans
// one minute: every burn-rate window holds all of it, and the counters grow
// linearly, so each window's error ratio is the one-minute ratio (wants).
// Nothing was recorded a week or an hour before, so those roles are empty.
func expectBurnWindows(t *testing.T, got map[string]model.Vector, wants ...want) {
	t.Helper()
	for role, windows := range map[string][]string{"error_ratio_page": {"1h", "5m"}, "error_ratio_ticket": {"6h", "30m"}} {
		var ws []want
		for _, w := range wants {
			for _, win := range windows {
				l := w.labels.Clone()
				l["window"] = model.LabelValue(win)
				ws = append(ws, want{l, w.value})
			}
		}
		expect(t, role, got[role], ws...)
	}
	expectNoPast(t, got)
}

// expectNoPast: a one-minute recording has nothing a week or an hour old.
func expectNoPast(t *testing.T, got map[string]model.Vector) {
	t.Helper()
	expect(t, "requests_last_week", got["requests_last_week"])
	expect(t, "requests_hour_before", got["requests_hour_before"])
}

// expectBuckets checks the rate of some of latency_buckets' samples (the
// role holds one per bucket and version).
func expectBuckets(t *testing.T, got model.Vector, wants ...want) {
	t.Helper()
	for _, w := range wants {
		var found *model.Sample
		for _, s := range got {
			if s.Metric.Equal(w.labels) {
				found = s
			}
		}
		if found == nil || !sameValue(float64(found.Value), w.value) {
			t.Errorf("latency_buckets %v = %v, want %.15g", w.labels, found, w.value)
		}
	}
}

// withLe is m with a bucket bound.
func withLe(m model.Metric, bound string) model.Metric {
	m = m.Clone()
	m["le"] = model.LabelValue(bound)
	return m
}
