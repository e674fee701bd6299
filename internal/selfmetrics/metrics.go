// Package selfmetrics is mltop's own /metrics: how its poller and its SSH
// sessions are doing, in Prometheus's text format, from a private registry
// (nothing registers globally).
package selfmetrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
)

// Options configure Metrics.
type Options struct {
	// Stats returns the poller's running totals; nil leaves them out.
	Stats func() poll.Stats
	// Latest is the poller's latest snapshot, whose registry baselines
	// are published as model_offline_performance; nil leaves them out.
	Latest func() (fleet.Snapshot, bool)
	// Now is the clock refresh durations are measured with; default time.Now.
	// It must be the poller's clock.
	Now func() time.Time
}

// Metrics holds mltop's own metrics. A nil *Metrics is valid and records
// nothing, so callers need not check.
type Metrics struct {
	reg      *prometheus.Registry
	now      func() time.Time
	sessions prometheus.Gauge
	refused  *prometheus.CounterVec
	refresh  prometheus.Histogram
	actions  *prometheus.CounterVec
}

// New builds the metrics and their registry.
func New(opts Options) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		now: opts.Now,
		sessions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "mltop_ssh_sessions", Help: "Dashboard sessions open over SSH.",
		}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mltop_ssh_sessions_refused_total",
			Help: "SSH sessions refused after authentication, by reason (full, shutting_down, no_terminal, command).",
		}, []string{"reason"}),
		refresh: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "mltop_refresh_duration_seconds",
			Help:    "Time from the start of a poller refresh to its snapshot being published (all queries and the merge).",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
		}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mltop_actions_total",
			Help: "Actions asked for from SSH sessions, by action and outcome (succeeded, failed, unknown, refused).",
		}, []string{"action", "outcome"}),
	}
	if m.now == nil {
		m.now = time.Now
	}
	m.reg.MustRegister(m.sessions, m.refused, m.refresh, m.actions,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if opts.Stats != nil {
		m.reg.MustRegister(newStatsCollector(opts.Stats))
	}
	if opts.Latest != nil {
		m.reg.MustRegister(newBaselineCollector(opts.Latest))
	}
	return m
}

// Handler serves the metrics in Prometheus's exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Registry is where the metrics are registered (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// SessionOpened counts a session in; SessionClosed counts it out.
func (m *Metrics) SessionOpened() {
	if m != nil {
		m.sessions.Inc()
	}
}

// SessionClosed counts a session out.
func (m *Metrics) SessionClosed() {
	if m != nil {
		m.sessions.Dec()
	}
}

// SessionRefused counts a session turned away, by reason.
func (m *Metrics) SessionRefused(reason string) {
	if m != nil {
		m.refused.WithLabelValues(reason).Inc()
	}
}

// ActionDone counts an action's outcome. action must come from a bounded
// set (configured action names), as every value makes a series.
func (m *Metrics) ActionDone(action, outcome string) {
	if m != nil {
		m.actions.WithLabelValues(action, outcome).Inc()
	}
}

// Watch observes refresh durations from the snapshots the hub publishes,
// until ctx ends or the hub's subscription closes. Each snapshot is one
// refresh, stamped with the time it started.
func (m *Metrics) Watch(ctx context.Context, hub *poll.Hub) {
	if m == nil || hub == nil {
		return
	}
	// A subscription starts with the latest snapshot, published before
	// Watch was called: its age is not a refresh duration.
	_, primed := hub.Latest()
	ch, unsubscribe := hub.Subscribe()
	defer unsubscribe()
	m.observe(ctx, ch, primed)
}

// observe records a refresh duration per snapshot received, skipping the
// first when it was published before the subscription.
func (m *Metrics) observe(ctx context.Context, ch <-chan fleet.Snapshot, skipFirst bool) {
	for {
		select {
		case <-ctx.Done():
			return
		case s, ok := <-ch:
			if !ok {
				return
			}
			if skipFirst {
				skipFirst = false
				continue
			}
			m.refresh.Observe(max(m.now().Sub(s.TakenAt).Seconds(), 0))
		}
	}
}

// statsCollector exports the poller's running totals as counters, read
// when scraped.
type statsCollector struct {
	stats                                                         func() poll.Stats
	refreshes, queries, queryErrors, regReads, regErrors, skipped *prometheus.Desc
}

func newStatsCollector(stats func() poll.Stats) *statsCollector {
	d := func(name, help string) *prometheus.Desc { return prometheus.NewDesc(name, help, nil, nil) }
	return &statsCollector{
		stats:       stats,
		refreshes:   d("mltop_refreshes_total", "Poller refreshes completed."),
		queries:     d("mltop_queries_total", "Metrics queries the poller sent (instant queries; one per role per refresh)."),
		queryErrors: d("mltop_query_errors_total", "Metrics queries that failed or timed out."),
		regReads:    d("mltop_registry_reads_total", "Model registry reads started."),
		regErrors:   d("mltop_registry_errors_total", "Model registry reads that failed or timed out."),
		skipped:     d("mltop_refresh_ticks_skipped_total", "Refresh ticks skipped because a refresh took longer than the refresh interval (a server slower than the refresh)."),
	}
}

func (c *statsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.refreshes, c.queries, c.queryErrors, c.regReads, c.regErrors, c.skipped} {
		ch <- d
	}
}

func (c *statsCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	for _, v := range []struct {
		d *prometheus.Desc
		n uint64
	}{
		{c.refreshes, s.Refreshes}, {c.queries, s.QueriesSent}, {c.queryErrors, s.QueryErrors},
		{c.regReads, s.RegistryReads}, {c.regErrors, s.RegistryErrors}, {c.skipped, s.SkippedTicks},
	} {
		ch <- prometheus.MustNewConstMetric(v.d, prometheus.CounterValue, float64(v.n))
	}
}
