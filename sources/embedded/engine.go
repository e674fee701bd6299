package embedded

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/prometheus/prometheus/promql"
)

// Defaults, chosen to match a default Prometheus where one exists.
const (
	DefaultInterval     = 5 * time.Second
	DefaultRetention    = 26 * time.Hour // a day of graphs plus the longest window
	DefaultJob          = "mltop"
	DefaultQueryTimeout = 10 * time.Second
	maxScrapeTimeout    = 10 * time.Second
	// lookbackDelta and subqueryStep are Prometheus's defaults (the latter is
	// its default evaluation_interval), so answers match a stock server.
	lookbackDelta = 5 * time.Minute
	subqueryStep  = time.Minute
	maxSamples    = 50_000_000
)

// Options configures an Engine. Zero values take the defaults noted.
type Options struct {
	Targets      []string      // full URLs, e.g. http://127.0.0.1:8000/metrics
	Interval     time.Duration // between scrapes of a target; default 5s
	Timeout      time.Duration // per scrape; default min(Interval, 10s)
	Retention    time.Duration // older samples are dropped; default 26h
	Job          string        // job label; default "mltop"
	Client       *http.Client  // default: a client with dial and TLS timeouts
	Logger       *slog.Logger  // default: discard
	Now          func() time.Time
	QueryTimeout time.Duration // default 10s
}

func (o *Options) setDefaults() {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Timeout <= 0 {
		o.Timeout = min(o.Interval, maxScrapeTimeout)
	}
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	if o.Job == "" {
		o.Job = DefaultJob
	}
	if o.Client == nil {
		o.Client = defaultClient()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.QueryTimeout <= 0 {
		o.QueryTimeout = DefaultQueryTimeout
	}
}

// defaultClient bounds connection set-up; each scrape's context bounds the rest.
func defaultClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: maxScrapeTimeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   2,
	}}
}

// Engine scrapes targets into memory and answers PromQL over them. It
// satisfies the poller's MetricsSource. All methods are safe for concurrent
// use; Run is meant to be called once.
type Engine struct {
	opts    Options
	store   *store
	ng      *promql.Engine
	targets []*target
}

// New validates opts and builds an engine. It starts nothing: call Run (or
// ScrapeOnce) to collect data.
func New(opts Options) (*Engine, error) {
	opts.setDefaults()
	if len(opts.Targets) == 0 {
		return nil, errors.New("no scrape targets")
	}
	if opts.Timeout > opts.Interval {
		return nil, fmt.Errorf("scrape timeout %s exceeds the interval %s", opts.Timeout, opts.Interval)
	}
	e := &Engine{opts: opts, store: newStore(opts.Retention)}
	seen := map[string]bool{}
	for _, raw := range opts.Targets {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("scrape target %q: %w", raw, err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("scrape target %q: want an http(s) URL with a host", raw)
		}
		if seen[u.String()] {
			return nil, fmt.Errorf("scrape target %q: listed twice", raw)
		}
		seen[u.String()] = true
		e.targets = append(e.targets, newTarget(u, opts.Job))
	}
	e.ng = promql.NewEngine(promql.EngineOpts{
		Logger:                   opts.Logger,
		MaxSamples:               maxSamples,
		Timeout:                  opts.QueryTimeout,
		LookbackDelta:            lookbackDelta,
		NoStepSubqueryIntervalFn: func(int64) int64 { return subqueryStep.Milliseconds() },
		EnableAtModifier:         true,
		EnableNegativeOffset:     true,
	})
	return e, nil
}

// Name identifies the source in status lines.
func (e *Engine) Name() string { return "embedded" }

// Kind is the source kind.
func (e *Engine) Kind() string { return "embedded" }

// Stats reports how much the engine holds.
func (e *Engine) Stats() Stats { return e.store.stats() }
