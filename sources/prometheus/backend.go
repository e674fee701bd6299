package prometheus

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Engines a Prometheus-compatible URL may lead to.
const (
	BackendPrometheus      = "prometheus"
	BackendThanos          = "thanos"
	BackendMimir           = "mimir"
	BackendCortex          = "cortex"
	BackendVictoriaMetrics = "victoriametrics"
)

// detectRetry is how long an inconclusive detection (server down, auth
// refused) waits before it is tried again.
const detectRetry = time.Minute

// detector remembers which engine answers, found once.
type detector struct {
	mu      sync.Mutex
	name    string
	settled bool // a definite answer, possibly "" (not recognised)
	running bool
	next    time.Time
}

// Backend names the engine behind the URL: prometheus, thanos, mimir,
// cortex or victoriametrics; "" until known or when not recognised. The
// configured prometheus.backend, when set, is the answer.
func (s *Source) Backend() string {
	if s.backend != "" {
		return s.backend
	}
	s.det.mu.Lock()
	defer s.det.mu.Unlock()
	return s.det.name
}

// detectBackend finds the engine after a query has succeeded (so the server
// is reachable and the credentials work), from that query's goroutine and
// within its deadline. One goroutine detects; the others carry on.
func (s *Source) detectBackend(ctx context.Context) {
	if s.backend != "" {
		return
	}
	d := &s.det
	d.mu.Lock()
	if d.settled || d.running || time.Now().Before(d.next) {
		d.mu.Unlock()
		return
	}
	d.running = true
	d.mu.Unlock()

	name, settled := s.identify(ctx)

	d.mu.Lock()
	defer d.mu.Unlock()
	d.running = false
	if settled {
		d.name, d.settled = name, true
		s.log.Debug("backend detected", "backend", name, "url", s.url)
		return
	}
	d.next = time.Now().Add(detectRetry)
}

// identify asks the server what it is: build info names Mimir and Cortex;
// VictoriaMetrics marks every response with X-Server-Hostname and answers
// build info with nothing; Thanos answers build info as Prometheus does,
// but only Thanos has /api/v1/stores. settled is false when the server
// could not be asked.
func (s *Source) identify(ctx context.Context) (name string, settled bool) {
	status, hdr, body, err := s.get(ctx, "/api/v1/status/buildinfo")
	if err != nil {
		return "", false
	}
	if hdr.Get("X-Server-Hostname") != "" {
		return BackendVictoriaMetrics, true
	}
	var info struct {
		Data struct {
			Application string `json:"application"`
			Version     string `json:"version"`
			Revision    string `json:"revision"`
			GoVersion   string `json:"goVersion"`
		} `json:"data"`
	}
	prometheusLike := false
	switch {
	case status == http.StatusOK:
		if json.Unmarshal(body, &info) != nil {
			return "", true
		}
		app := strings.ToLower(info.Data.Application)
		switch {
		case strings.Contains(app, "mimir"):
			return BackendMimir, true
		case strings.Contains(app, "cortex"):
			return BackendCortex, true
		}
		prometheusLike = info.Data.GoVersion != "" || info.Data.Revision != ""
		if !prometheusLike && s.answers(ctx, "/api/v1/status/top_queries", "topByCount") {
			return BackendVictoriaMetrics, true
		}
	case status == http.StatusNotFound:
		// Too old for build info: only Thanos can still be told apart.
	default:
		return "", false // refused or failing: ask again later
	}
	thanos, known := s.hasStores(ctx)
	if !known {
		return "", false // a Thanos that could not answer is no Prometheus: ask again later
	}
	if thanos {
		return BackendThanos, true
	}
	if prometheusLike {
		return BackendPrometheus, true
	}
	return "", true
}

// answers reports whether GET path returns 200 with a body containing marker.
func (s *Source) answers(ctx context.Context, path, marker string) bool {
	status, _, body, err := s.get(ctx, path)
	return err == nil && status == http.StatusOK && strings.Contains(string(body), marker)
}

// hasStores reports whether the server lists its stores, as only Thanos
// does. known is false when it could not tell: no answer, a server error,
// a refusal (401, 403, 429): such a server may still be a Thanos, which
// mltop must not take for a Prometheus.
func (s *Source) hasStores(ctx context.Context) (thanos, known bool) {
	status, _, body, err := s.get(ctx, "/api/v1/stores")
	switch {
	case err != nil, status >= 500, status == http.StatusUnauthorized, status == http.StatusForbidden, status == http.StatusTooManyRequests:
		return false, false
	case status == http.StatusOK:
		return strings.Contains(string(body), `"status":"success"`), true
	}
	return false, true // 404 and the like: no such API
}

// get fetches a path under the base URL through the configured transport
// (auth, tenant header).
func (s *Source) get(ctx context.Context, path string) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.client.URL(path, nil).String(), nil)
	if err != nil {
		return 0, nil, nil, err
	}
	resp, body, err := s.client.Do(ctx, req)
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, body, nil
}
