package wiring

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
)

// prometheus.timeout is what a query may take, even when it is longer than
// the refresh: a server that answers in 2.5 s, with a 1 s refresh and a
// 30 s timeout, is waited for and its answer used.
func TestQueryTimeoutNotCappedAtRefresh(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a server that takes 2.5 s")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/query" {
			http.NotFound(w, r)
			return
		}
		// The server is slow: longer than the refresh and than the
		// poller's own least deadline (2 s).
		select {
		case <-time.After(2500 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"m","version":"1"},"value":[1,"3"]}]}}`))
	}))
	defer srv.Close()
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Prometheus.URL = srv.URL
	cfg.Prometheus.Timeout = 30 * time.Second
	cfg.Refresh = time.Second
	a, err := New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	s := a.Poller.PollOnce(context.Background())
	if len(s.Sources) == 0 || !s.Sources[0].OK {
		t.Fatalf("a query within prometheus.timeout was cut short: %+v", s.Sources)
	}
	if s.Sources[0].Latency < 2500*time.Millisecond {
		t.Errorf("latency %s, want the 2.5 s the server took", s.Sources[0].Latency)
	}
}

// prometheus.max_answer_mib reaches the source: a 2 MiB answer under a
// 1 MiB limit fails, and the error names the key and the limit.
func TestAnswerLimitFromConfig(t *testing.T) {
	big := `{"status":"success","data":{"resultType":"vector","result":[` +
		strings.Repeat(`{"metric":{"model":"m","version":"1"},"value":[1,"3"]},`, 40_000) +
		`{"metric":{"model":"m","version":"2"},"value":[1,"3"]}]}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(big))
	}))
	defer srv.Close()
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Prometheus.URL = srv.URL
	cfg.Prometheus.MaxAnswerMiB = 1
	a, err := New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	s := a.Poller.PollOnce(context.Background())
	// Alone or beside the other queries' answers, which share the limit.
	want := "larger than prometheus.max_answer_mib (1 MiB)"
	if len(s.Sources) == 0 || s.Sources[0].OK || !strings.Contains(s.Sources[0].Error, want) {
		t.Fatalf("sources %+v; want the 2 MiB answer refused: %q", s.Sources, want)
	}
}

// A month's serving history may take its own 30 s, past prometheus.timeout
// (sized for a poll's instant queries): a server that answers range
// queries in 400 ms, with a 100 ms prometheus.timeout, is waited for.
func TestServedReadOutlastsThePerQueryTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(400 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/api/v1/query_range" {
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[]}}`))
			return
		}
		now := time.Now().Unix()
		_, _ = fmt.Fprintf(w, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"model":"m","version":"1"},"values":[[%d,"3"],[%d,"3"]]}]}}`, now-7200, now-3600)
	}))
	defer srv.Close()
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Prometheus.URL = srv.URL
	cfg.Prometheus.Timeout = 100 * time.Millisecond
	a, err := New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Served == nil {
		t.Fatal("no serving history over a Prometheus")
	}
	got, err := a.Served.Served(context.Background(), "m", time.Time{}, time.Time{})
	if err != nil || len(got["m"]) == 0 {
		t.Fatalf("served %v, err %v; want v1's interval from the slow server", got, err)
	}
}
