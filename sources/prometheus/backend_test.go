package prometheus

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// engine fakes what each server answers on the paths detection reads, as
// recorded from the real servers (Prometheus 2.42, Thanos 0.42, Mimir,
// VictoriaMetrics 1.79).
type engine struct {
	buildinfo  string // "" → 404
	status     int    // buildinfo status when not 200/404
	stores     bool
	topQueries bool
	header     map[string]string
}

var engines = map[string]engine{
	BackendPrometheus: {buildinfo: `{"status":"success","data":{"version":"2.42.0","revision":"","branch":"debian/sid","buildUser":"team+pkg","buildDate":"20230216","goVersion":"go1.19.6"}}`},
	BackendThanos:     {buildinfo: `{"status":"success","data":{"version":"","revision":"","branch":"","buildUser":"","buildDate":"","goVersion":"go1.26.8"}}`, stores: true},
	BackendMimir:      {buildinfo: `{"status":"success","data":{"application":"Grafana Mimir","version":"unknown","revision":"unknown","branch":"unknown","goVersion":"go1.26.8","features":{"query_sharding":"false"}}}`},
	BackendCortex:     {buildinfo: `{"status":"success","data":{"application":"Cortex","version":"1.18.0"}}`},
	BackendVictoriaMetrics: {buildinfo: `{"status":"success","data":{}}`, topQueries: true,
		header: map[string]string{"X-Server-Hostname": "vm"}},
	"victoriametrics without its header": {buildinfo: `{"status":"success","data":{}}`, topQueries: true},
	"old thanos":                         {stores: true},
}

func (e engine) serve(hits *atomic.Int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range e.header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/query":
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[]}}`))
			return
		case "/api/v1/status/buildinfo":
			hits.Add(1)
			switch {
			case e.status != 0:
				http.Error(w, "no org id", e.status)
			case e.buildinfo != "":
				_, _ = w.Write([]byte(e.buildinfo))
			default:
				http.NotFound(w, r)
			}
			return
		case "/api/v1/stores":
			if e.stores {
				_, _ = w.Write([]byte(`{"status":"success","data":{"sidecar":[]}}`))
				return
			}
		case "/api/v1/status/top_queries":
			if e.topQueries {
				_, _ = w.Write([]byte(`{"topN":"20","maxLifetime":"10m0s","topByCount":[]}`))
				return
			}
		}
		http.NotFound(w, r)
	}
}

func TestBackendDetected(t *testing.T) {
	want := map[string]string{
		"victoriametrics without its header": BackendVictoriaMetrics,
		"old thanos":                         BackendThanos,
	}
	for name, e := range engines {
		t.Run(name, func(t *testing.T) {
			var hits atomic.Int64
			srv := httptest.NewServer(e.serve(&hits))
			defer srv.Close()
			s, err := New(Options{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			if b := s.Backend(); b != "" {
				t.Fatalf("backend before any query = %q", b)
			}
			for range 3 {
				if _, _, err := s.Query(context.Background(), "up", time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			expect := name
			if w, ok := want[name]; ok {
				expect = w
			}
			if b := s.Backend(); b != expect {
				t.Fatalf("backend = %q, want %q", b, expect)
			}
			if n := hits.Load(); n != 1 {
				t.Fatalf("build info read %d times; the answer is cached", n)
			}
		})
	}
}

func TestBackendFromConfigIsNotDetected(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(engines[BackendPrometheus].serve(&hits))
	defer srv.Close()
	s, err := New(Options{URL: srv.URL, Backend: BackendThanos})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Query(context.Background(), "up", time.Now()); err != nil {
		t.Fatal(err)
	}
	if b := s.Backend(); b != BackendThanos || hits.Load() != 0 {
		t.Fatalf("backend = %q after %d build-info reads; want the configured thanos and none", b, hits.Load())
	}
}

// TestBackendRetriedAfterRefusal: build info refused (a proxy that wants
// other credentials) leaves the backend unknown and is asked again later,
// not on every query.
func TestBackendRetriedAfterRefusal(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(engine{status: http.StatusUnauthorized}.serve(&hits))
	defer srv.Close()
	s, err := New(Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, _, err := s.Query(context.Background(), "up", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if b, n := s.Backend(), hits.Load(); b != "" || n != 1 {
		t.Fatalf("backend %q after %d build-info reads; want unknown after 1", b, n)
	}
	s.det.mu.Lock()
	retry := s.det.next
	s.det.next = time.Time{} // the retry delay has passed
	s.det.mu.Unlock()
	if d := time.Until(retry); d < detectRetry-time.Minute/2 {
		t.Fatalf("retry in %s, want about %s", d, detectRetry)
	}
	if _, _, err := s.Query(context.Background(), "up", time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := hits.Load(); n != 2 {
		t.Fatalf("build info read %d times after the retry delay, want 2", n)
	}
}

// TestBackendNotAskedWhileQueriesFail: detection waits for a working query.
func TestBackendNotAskedWhileQueriesFail(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/status/buildinfo" {
			hits.Add(1)
		}
		http.Error(w, "no org id", http.StatusUnauthorized)
	}))
	defer srv.Close()
	s, err := New(Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Query(context.Background(), "up", time.Now()); err == nil {
		t.Fatal("a 401 was not an error")
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("build info read %d times while queries fail", n)
	}
}

// A Thanos whose store list fails (a server error, a proxy that refuses
// the path) is not taken for a Prometheus: the server stays unknown and is
// asked again, for a Prometheus gets answers computed here.
func TestThanosWhoseStoresFailIsNotTakenForPrometheus(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusForbidden} {
		thanos := engines[BackendThanos]
		var hits atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v1/stores" {
				http.Error(w, "busy", status)
				return
			}
			thanos.serve(&hits)(w, r)
		}))
		s, err := New(Options{URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Query(context.Background(), "up", time.Now()); err != nil {
			t.Fatal(err)
		}
		if b := s.Backend(); b != "" {
			t.Errorf("stores answering %d: backend %q, want unknown until it can tell", status, b)
		}
		srv.Close()
	}
}
