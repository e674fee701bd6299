package testenv

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// Querier asks a server's own Prometheus-compatible HTTP API directly: the
// referee that mltop's answers are compared with.
type Querier struct {
	Name    string            // engine, for messages
	URL     string            // base URL, with any path prefix (Mimir: .../prometheus)
	Headers map[string]string // sent with every request (Mimir: the tenant)
	API     v1.API
	t       testing.TB
	rt      *http.Transport
}

func newQuerier(t testing.TB, name, url string, headers map[string]string) *Querier {
	t.Helper()
	q := &Querier{Name: name, URL: url, Headers: headers, t: t, rt: &http.Transport{}}
	c, err := api.NewClient(api.Config{Address: url, RoundTripper: headerTransport{q.rt, headers}})
	if err != nil {
		t.Fatal(err)
	}
	q.API = v1.NewAPI(c)
	t.Cleanup(q.rt.CloseIdleConnections)
	return q
}

// headerTransport adds fixed headers to every request.
type headerTransport struct {
	next    http.RoundTripper
	headers map[string]string
}

func (h headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if len(h.headers) > 0 {
		req = req.Clone(req.Context())
		for k, v := range h.headers {
			req.Header.Set(k, v)
		}
	}
	return h.next.RoundTrip(req)
}

// WaitFor polls an instant query at the current time until check accepts
// its result or the limit passes: scraped data appears only after a few
// seconds, later still through remote write.
func (q *Querier) WaitFor(query string, limit time.Duration, check func(model.Vector) bool) model.Vector {
	q.t.Helper()
	deadline := time.Now().Add(limit)
	var last model.Vector
	var lastErr error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		v, _, _, err := q.API.Query(ctx, query, time.Now())
		cancel()
		lastErr = err
		if err == nil {
			if vec, ok := v.(model.Vector); ok {
				last = vec
				if check(vec) {
					return vec
				}
			}
		}
		time.Sleep(200 * time.Millisecond) // polling an external server for data
	}
	q.t.Fatalf("%s: %s not satisfied within %s (last %v, err %v)", q.Name, query, limit, last, lastErr)
	return nil
}

// Query evaluates an instant query at time at.
func (q *Querier) Query(query string, at time.Time) model.Vector {
	q.t.Helper()
	vec, _ := q.QueryWarnings(query, at)
	return vec
}

// QueryWarnings evaluates an instant query at time at and returns the
// partial-response warnings with the result.
func (q *Querier) QueryWarnings(query string, at time.Time) (model.Vector, []string) {
	q.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, warnings, _, err := q.API.Query(ctx, query, at)
	if err != nil {
		q.t.Fatalf("%s query %s: %v", q.Name, query, err)
	}
	switch val := v.(type) {
	case model.Vector:
		return val, warnings
	case *model.Scalar:
		return model.Vector{{Metric: model.Metric{}, Value: val.Value, Timestamp: val.Timestamp}}, warnings
	}
	q.t.Fatalf("%s query %s: %s result", q.Name, query, v.Type())
	return nil, nil
}
