package conformance

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/sources/prometheus"
)

// Every engine scrapes (or is fed) every scrapeInterval and mltop's rates
// use window: short, so that steady state comes within a minute.
const (
	scrapeInterval = time.Second
	window         = 30 * time.Second
	tenant         = "ml"
)

// engine is one running backend under test.
type engine struct {
	name string
	// ref is the engine's own query API, the referee.
	ref     *testenv.Querier
	headers map[string]string
	// lag is how far behind now an instant is complete: every sample up
	// to it has landed (remote write adds a batch deadline).
	lag time.Duration
}

// lane starts one engine fed by targets.
type lane struct {
	name  string
	start func(t testing.TB, targets []string, interval time.Duration) *engine
}

var lanes = []lane{
	{"prometheus", func(t testing.TB, targets []string, interval time.Duration) *engine {
		p := testenv.StartPrometheus(t, targets, interval)
		return &engine{name: "prometheus", ref: p.Querier, lag: 2 * time.Second}
	}},
	{"victoriametrics", func(t testing.TB, targets []string, interval time.Duration) *engine {
		v := testenv.StartVictoriaMetrics(t, targets, interval)
		return &engine{name: "victoriametrics", ref: v.Querier, lag: 2 * time.Second}
	}},
	{"thanos", func(t testing.TB, targets []string, interval time.Duration) *engine {
		th := testenv.StartThanos(t, targets, interval)
		return &engine{name: "thanos", ref: th.Querier, lag: 2 * time.Second}
	}},
	{"mimir", func(t testing.TB, targets []string, interval time.Duration) *engine {
		m := testenv.StartMimir(t, targets, interval, tenant)
		return &engine{name: "mimir", ref: m.Querier, headers: m.Headers, lag: 4 * time.Second}
	}},
}

// source is mltop's Prometheus source for the engine, configured as a user
// would: the URL with its prefix and the headers.
func (e *engine) source(t testing.TB, headers map[string]string) *prometheus.Source {
	t.Helper()
	rt, err := prometheus.Transport(prometheus.Auth{Headers: headers})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		t.Cleanup(c.CloseIdleConnections)
	}
	src, err := prometheus.New(prometheus.Options{URL: e.ref.URL, Transport: rt, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// instant is a recent time whose data is complete, on a whole second.
func (e *engine) instant() time.Time { return time.Now().Add(-e.lag).Truncate(time.Second) }

// waitSeries polls until n prediction series are visible at a complete
// instant, and returns that instant.
func (e *engine) waitSeries(t *testing.T, n int, limit time.Duration) time.Time {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		at := e.instant()
		if v := e.ref.Query("count(model_predictions_total)", at); len(v) == 1 && int(v[0].Value) == n {
			return at
		}
		time.Sleep(200 * time.Millisecond) // polling an external server for data
	}
	t.Fatalf("%s: %d prediction series not visible within %s", e.name, n, limit)
	return time.Time{}
}

// waitSteady polls until every prediction series has samples older than
// the window plus a few scrapes at the instants the test compares at (lag
// behind now), so every rate window is full (and the sample before it
// exists, which VictoriaMetrics' rate reads).
func (e *engine) waitSteady(t *testing.T, n int) {
	t.Helper()
	span := window + e.lag + 10*scrapeInterval
	need := int((window+e.lag)/scrapeInterval) + 4
	q := fmt.Sprintf("count(count_over_time(model_predictions_total[%s]) >= %d)", model.Duration(span), need)
	e.ref.WaitFor(q, 3*time.Minute, func(v model.Vector) bool { return len(v) == 1 && int(v[0].Value) == n })
}

// clock is the poller's clock: the instant the test compares at.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// tenantHeader is the Mimir tenant header with value v.
func tenantHeader(v string) map[string]string {
	return map[string]string{testenv.TenantHeader: v}
}
