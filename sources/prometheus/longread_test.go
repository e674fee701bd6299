package prometheus

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/history"
)

// slowServer answers every query after delay (or when the asker gives up).
func slowServer(t *testing.T, delay time.Duration) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v1/query_range" {
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"model":"m"},"values":[[1,"3"]]}]}}`))
			return
		}
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"m"},"value":[1,"3"]}]}}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A range query marked as a long read may take past the per-query
// timeout, up to its own limit; unmarked range queries and instant
// queries, even with the mark, keep the per-query timeout.
func TestALongReadOutlastsThePerQueryTimeout(t *testing.T) {
	srv := slowServer(t, 400*time.Millisecond)
	s, err := New(Options{URL: srv.URL, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	long := history.WithLongRead(context.Background(), 10*time.Second)
	m, _, err := s.QueryRange(long, "up", now.Add(-time.Hour), now, time.Minute)
	if err != nil || len(m) != 1 {
		t.Fatalf("long read: %v series, err %v; want the slow answer", len(m), err)
	}
	if _, _, err := s.QueryRange(context.Background(), "up", now.Add(-time.Hour), now, time.Minute); err == nil {
		t.Error("a range query without the mark outlasted the per-query timeout")
	}
	if _, _, err := s.Query(long, "up", now); err == nil {
		t.Error("an instant query took the long read's limit")
	}
}
