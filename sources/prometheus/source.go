// Package prometheus queries a Prometheus-compatible HTTP API: Prometheus,
// Thanos Query, Mimir, Cortex, VictoriaMetrics.
package prometheus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/history"
)

// Options says how to reach the server.
type Options struct {
	URL       string // base URL, with any path prefix (Mimir: .../prometheus)
	Transport http.RoundTripper
	Timeout   time.Duration // per query; default 10s
	Logger    *slog.Logger
	// Backend names the engine (prometheus.backend), which is then not
	// detected; "" detects it.
	Backend string
	// MaxAnswerBytes is the most the answers being read at once may hold
	// (prometheus.max_answer_mib); default DefaultMaxAnswerBytes.
	MaxAnswerBytes int64
}

// Source is a remote Prometheus-compatible server.
type Source struct {
	api      v1.API
	client   api.Client
	url      string
	timeout  time.Duration
	log      *slog.Logger
	backend  string // configured; "" means detect
	det      detector
	metrics  metricCache
	quant    *sharedQuantiles
	ratios   *sharedRatios
	requests *sharedRequests
}

// New checks the options and builds the client; it does not connect.
func New(opts Options) (*Source, error) {
	if opts.URL == "" {
		return nil, errors.New("prometheus: no URL")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Transport == nil {
		opts.Transport = http.DefaultTransport
	}
	if opts.MaxAnswerBytes <= 0 {
		opts.MaxAnswerBytes = DefaultMaxAnswerBytes
	}
	rt := probeTransport{opts.Transport}
	base, err := api.NewClient(api.Config{Address: strings.TrimRight(opts.URL, "/"), RoundTripper: rt})
	if err != nil {
		return nil, fmt.Errorf("prometheus client for %s: %w", opts.URL, err)
	}
	c := &cappedClient{Client: base, http: &http.Client{Transport: rt}, budget: &budget{limit: opts.MaxAnswerBytes}}
	return &Source{api: v1.NewAPI(c), client: c, url: opts.URL, timeout: opts.Timeout, log: opts.Logger, backend: opts.Backend, quant: newSharedQuantiles(), ratios: newSharedRatios(), requests: newSharedRequests()}, nil
}

// Name is the source's name in the status bar.
func (s *Source) Name() string { return "prometheus" }

// Kind is the source's kind.
func (s *Source) Kind() string { return "prometheus" }

// Query runs an instant query. A scalar result becomes one unlabelled
// sample; series holding native histograms are left out. The answer is
// read as client_golang's API reads it, into label maps shared with the
// other answers holding the same series (see metricCache): callers must
// not change them.
func (s *Source) Query(ctx context.Context, expr string, at time.Time) (model.Vector, []string, error) {
	// A native histogram has no value to read: every read leaves such
	// series out, as the embedded engine does.
	return s.shared(ctx, expr, at)
}

// shared answers expr from a read it shares with the other queries asked
// at the same instant where it can: the quantiles of one histogram share
// one read of its buckets (sharedQuantiles), a ratio and its denominator
// one (sharedRatios), and the other queries of a refresh go as one
// request (sharedRequests). A zero at is the server's own now: no instant
// to share.
func (s *Source) shared(ctx context.Context, expr string, at time.Time) (model.Vector, []string, error) {
	if at.IsZero() {
		return s.instant(ctx, expr, at)
	}
	for _, read := range []func(context.Context, string, time.Time) (model.Vector, []string, bool, error){
		s.quantile, s.bucketsRead, s.ratio, s.batched,
	} {
		if vec, warnings, answered, err := read(ctx, expr, at); answered {
			return vec, warnings, err
		}
	}
	return s.instant(ctx, expr, at)
}

// instant runs an instant query; series holding a native histogram are
// left out.
func (s *Source) instant(ctx context.Context, expr string, at time.Time) (model.Vector, []string, error) {
	vec, _, warnings, err := s.instantCounted(ctx, expr, at)
	return vec, warnings, err
}

// instantCounted is instant, also saying how many series holding a native
// histogram were left out: a quantile of such a histogram is the server's
// to compute.
func (s *Source) instantCounted(ctx context.Context, expr string, at time.Time) (vec model.Vector, histograms int, warnings []string, err error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	ctx, p := withProbe(ctx)
	resp, body, err := s.instantQuery(ctx, expr, at)
	if err != nil {
		return nil, 0, nil, explain(err, p, s.url, s.timeout)
	}
	if code := resp.StatusCode; code/100 != 2 {
		if code == http.StatusBadRequest || code == http.StatusUnprocessableEntity {
			warnings = warningsOf(body) // the only error answers client_golang reads
		}
		return nil, 0, warnings, explain(apiErrorOf(code, body), p, s.url, s.timeout)
	}
	a, vec, err := decodeVector(body, &s.metrics)
	if err != nil {
		return nil, 0, warningsOf(body), explain(&v1.Error{Type: v1.ErrBadResponse, Msg: err.Error()}, p, s.url, s.timeout)
	}
	warnings = plainWarnings(a.warnings)
	if a.status == "error" {
		return nil, 0, warnings, explain(&v1.Error{Type: a.errorType, Msg: a.errorMsg}, p, s.url, s.timeout)
	}
	s.detectBackend(ctx)
	if t := a.resultType; t == "matrix" || t == "string" {
		return nil, 0, warnings, fmt.Errorf("unexpected %s result", t)
	}
	return vec, a.histograms, warnings, nil
}

// QueryRange runs a range query for graphs and trends, within the
// per-query timeout or the longer limit history.WithLongRead put on ctx.
func (s *Source) QueryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) (model.Matrix, []string, error) {
	limit := history.RangeLimit(ctx, s.timeout)
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	ctx, p := withProbe(ctx)
	val, warnings, _, err := s.api.QueryRange(ctx, expr, v1.Range{Start: start, End: end, Step: step}, v1.WithTimeout(limit))
	warnings = plainWarnings(warnings)
	if err != nil {
		return nil, warnings, explain(err, p, s.url, limit)
	}
	m, ok := val.(model.Matrix)
	if !ok {
		return nil, warnings, fmt.Errorf("unexpected %s result for a range query", val.Type())
	}
	return m, warnings, nil
}
