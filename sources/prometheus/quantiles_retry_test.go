package prometheus

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestFailedSharedReadIsMadeAgain: a read that failed is not reused by a
// later ask at the same instant (a look back asked twice): the server is
// asked again, and its answer used.
func TestFailedSharedReadIsMadeAgain(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[` +
			`{"metric":{"model":"a","le":"0.1"},"value":[1700000000,"1"]},{"metric":{"model":"a","le":"+Inf"},"value":[1700000000,"2"]}]}}`))
	}))
	defer srv.Close()
	src, err := New(Options{URL: srv.URL, Backend: BackendPrometheus})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1700000000, 0)
	const q = `histogram_quantile(0.5, sum by (model, le) (rate(x_bucket[1m])))`
	if _, _, err := src.Query(context.Background(), q, at); err == nil {
		t.Fatal("the failed read answered")
	}
	vec, _, err := src.Query(context.Background(), q, at)
	if err != nil || len(vec) != 1 || vec[0].Value != 0.1 {
		t.Fatalf("asked again at the same instant: %v, %v; want p50 0.1", vec, err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}
