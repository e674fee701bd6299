package wiring

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/recording"
	"github.com/mltop/mltop/sources/prometheus"
)

var _ remoteSource = (*prometheus.Source)(nil)

// remoteSource is what a Prometheus-compatible server answers.
type remoteSource interface {
	poll.MetricsSource
	poll.TableSource
	history.RangeQuerier
	poll.BackendReporter
}

// recordedSource reads a role's recorded series (mltop's recording rules)
// where the server has them, instead of evaluating the role's expression:
// it rewrites the expressions it knows, exactly as the config renders
// them, and passes every other one through. Sitting under the poller, the
// graphs and the estimate and drift histories, it serves them all without
// their knowing; their per-model expressions (narrowed) are not the
// config's and go to the server as they are.
type recordedSource struct {
	remoteSource
	rules  []recording.Rule
	detect bool // ask the server which series exist; else use them all
	log    *slog.Logger

	mu      sync.Mutex
	decided bool
	retryAt time.Time         // after a failed detection
	rewrite map[string]string // role expression -> recorded series name
	status  *fleet.Recorded
	all     string // one selector of every recorded series read

	bmu   sync.Mutex
	batch *batch // the latest refresh's recorded series
}

// batch is every recorded series at one instant, read with one request:
// a refresh sends its roles' queries at the same instant, and the server's
// cost of a read of a few thousand series is mostly the request's own.
type batch struct {
	at       time.Time
	done     chan struct{}
	byName   map[string]model.Vector
	warnings []string
	err      error
}

// Detection is one small query; it may not hold up the first refresh for
// a whole query timeout.
const (
	maxDetectTimeout = 5 * time.Second
	detectRetry      = time.Minute
)

// withRecorded wraps src to read recorded series as prometheus.recorded
// says; src itself when the config records no role or never reads them.
func withRecorded(cfg *config.Config, src remoteSource, log *slog.Logger) (poll.MetricsSource, error) {
	if !cfg.Prometheus.Recorded && !cfg.RecordedDetect() {
		return src, nil
	}
	rules, err := recording.Rules(cfg)
	if err != nil || len(rules) == 0 {
		return src, err
	}
	r := &recordedSource{remoteSource: src, rules: rules, detect: cfg.RecordedDetect(), log: log.With("component", "recorded")}
	if !r.detect {
		r.use(rules)
	}
	return r, nil
}

// use switches the roles of found to their recorded series.
func (r *recordedSource) use(found []recording.Rule) {
	r.decided = true
	r.rewrite = make(map[string]string, len(found))
	st := &fleet.Recorded{Of: len(r.rules)}
	for _, f := range found {
		r.rewrite[f.Expr] = f.Record
		st.Roles = append(st.Roles, fleet.Role(f.Role))
	}
	r.status = st
	r.all = recording.SelectorOf(found)
}

// read returns the recorded series name at instant at, reading every
// recorded series at once: the first role of a refresh to ask sends the
// request, the others wait for its answer.
func (r *recordedSource) read(ctx context.Context, name string, at time.Time) (model.Vector, []string, error) {
	r.bmu.Lock()
	b := r.batch
	if b == nil || !b.at.Equal(at) {
		b = &batch{at: at, done: make(chan struct{})}
		r.batch = b
		r.bmu.Unlock()
		r.mu.Lock()
		all := r.all
		r.mu.Unlock()
		var vec model.Vector
		vec, b.warnings, b.err = r.remoteSource.Query(ctx, all, at)
		b.byName = splitByName(vec)
		close(b.done)
	} else {
		r.bmu.Unlock()
		select {
		case <-b.done:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	return b.byName[name], b.warnings, b.err
}

// splitByName groups samples by metric name, which it removes: a role's
// series carry the labels its expression gives, no name.
func splitByName(vec model.Vector) map[string]model.Vector {
	out := map[string]model.Vector{}
	for _, s := range vec {
		name := string(s.Metric[model.MetricNameLabel])
		m := make(model.Metric, len(s.Metric)-1)
		for k, v := range s.Metric {
			if k != model.MetricNameLabel {
				m[k] = v
			}
		}
		out[name] = append(out[name], &model.Sample{Metric: m, Value: s.Value, Timestamp: s.Timestamp})
	}
	return out
}

// recorded is the recorded series to read for expr, "" for expr itself.
// The first call asks the server which series exist (one query, bounded);
// should that fail, expressions go unchanged and it asks again a minute
// later.
func (r *recordedSource) recorded(ctx context.Context, expr string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.decided && time.Now().After(r.retryAt) {
		dctx, cancel := context.WithTimeout(ctx, maxDetectTimeout)
		found, err := recording.Present(dctx, r.remoteSource, r.rules, time.Now())
		cancel()
		if err != nil {
			r.retryAt = time.Now().Add(detectRetry)
			r.log.Warn("recorded series not looked up: reading every role's query", "err", err, "retry_in", detectRetry)
			return ""
		}
		r.use(found)
		r.log.Info("recorded series", "roles", len(found), "of", len(r.rules))
	}
	return r.rewrite[expr]
}

// Recorded says which roles are read from recorded series.
func (r *recordedSource) Recorded() *fleet.Recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status == nil {
		return nil
	}
	st := *r.status
	return &st
}

// Query reads expr's recorded series where there is one. A recorded read
// that answers nothing (the rules stopped, their series went stale) is
// answered by expr itself: no series is not the same as no traffic.
func (r *recordedSource) Query(ctx context.Context, expr string, at time.Time) (model.Vector, []string, error) {
	if rec := r.recorded(ctx, expr); rec != "" {
		vec, warnings, err := r.read(ctx, rec, at)
		if err != nil || len(vec) > 0 {
			return vec, warnings, err
		}
		r.log.Debug("recorded series answered nothing: querying the expression", "series", rec)
	}
	return r.remoteSource.Query(ctx, expr, at)
}

// QueryTable is Query as a table.
func (r *recordedSource) QueryTable(ctx context.Context, expr string, at time.Time, labels []string) (*labelrows.Table, []string, error) {
	if rec := r.recorded(ctx, expr); rec != "" {
		vec, warnings, err := r.read(ctx, rec, at)
		if err != nil {
			return nil, warnings, err
		}
		if len(vec) > 0 {
			return labelrows.FromVector(vec, labels), warnings, nil
		}
		r.log.Debug("recorded series answered nothing: querying the expression", "series", rec)
	}
	return r.remoteSource.QueryTable(ctx, expr, at, labels)
}

// QueryRange is Query over a range, for graphs.
func (r *recordedSource) QueryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) (model.Matrix, []string, error) {
	if rec := r.recorded(ctx, expr); rec != "" {
		m, warnings, err := r.remoteSource.QueryRange(ctx, rec, start, end, step)
		if err != nil || len(m) > 0 {
			return m, warnings, err
		}
		r.log.Debug("recorded series answered nothing: querying the expression", "series", rec)
	}
	return r.remoteSource.QueryRange(ctx, expr, start, end, step)
}
