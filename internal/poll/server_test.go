package poll

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/sources/prometheus"
)

// TestServerFailsThenRecovers runs the poller against a real HTTP server
// speaking the Prometheus API through the remote source: it answers, goes
// down (503, then garbage), and comes back. Values stay with their age while
// it is down, polling backs off, and the first answer after it returns is fresh.
func TestServerFailsThenRecovers(t *testing.T) {
	var mode atomic.Int32 // 0 ok, 1 unavailable, 2 garbage
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch mode.Load() {
		case 1:
			http.Error(w, "upstream unavailable", http.StatusServiceUnavailable)
		case 2:
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>login</html>"))
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"a","version":"1"},"value":[1,"42"]}]}}`))
		}
	}))
	defer srv.Close()
	src, err := prometheus.New(prometheus.Options{URL: srv.URL, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	clock := newFakeClock()
	start := clock.Now()
	p := New(Options{
		Metrics: src, Queries: roleQueries(fleet.RoleRequestRate), Now: clock.Now,
		Refresh: 5 * time.Second, MaxBackoff: 20 * time.Second, Jitter: func() float64 { return 0.5 },
	})
	poll := func(at time.Duration) fleet.Snapshot {
		clock.Advance(start.Add(at).Sub(clock.Now()))
		return p.PollOnce(context.Background())
	}
	rps := func(s fleet.Snapshot) float64 {
		v := findVersion(t, findModel(t, s.Models, "a"), "1")
		if v.RequestsPerSecond == nil {
			t.Fatalf("value lost: %+v", v)
		}
		return *v.RequestsPerSecond
	}

	s := poll(0)
	if !s.Sources[0].OK || rps(s) != 42 {
		t.Fatalf("healthy poll: %+v", s.Sources[0])
	}
	mode.Store(1)
	s = poll(5 * time.Second)
	if s.Sources[0].OK || !strings.Contains(s.Sources[0].Error, "503") && !strings.Contains(strings.ToLower(s.Sources[0].Error), "unavailable") {
		t.Fatalf("down: source %+v", s.Sources[0])
	}
	if rps(s) != 42 || s.Queries[0].Age(s.TakenAt) != 5*time.Second {
		t.Fatalf("down: last good value must stay with its age, got %v age %v", rps(s), s.Queries[0].Age(s.TakenAt))
	}
	t.Logf("503: %q", s.Sources[0].Error)
	before := hits.Load()
	s = poll(7 * time.Second) // inside the backoff: no request
	if hits.Load() != before {
		t.Fatalf("polled during backoff")
	}
	mode.Store(2)
	s = poll(10 * time.Second) // backoff over: tried, and the answer is garbage
	if hits.Load() == before || s.Sources[0].OK || s.Sources[0].Error == "" {
		t.Fatalf("garbage answer: hits %d→%d, source %+v", before, hits.Load(), s.Sources[0])
	}
	if rps(s) != 42 || s.Queries[0].Age(s.TakenAt) != 10*time.Second {
		t.Fatalf("garbage must not replace the last good value")
	}
	t.Logf("garbage: %q", s.Sources[0].Error)
	mode.Store(0)
	s = poll(30 * time.Second)
	if !s.Sources[0].OK || s.Sources[0].Error != "" || s.Queries[0].Age(s.TakenAt) != 0 || !s.Sources[0].NextAttempt.IsZero() {
		t.Fatalf("recovered: %+v %+v", s.Sources[0], s.Queries[0])
	}
}
