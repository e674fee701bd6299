package wiring

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/poll"
)

// profileRetry is how often detection that could not choose asks again.
const profileRetry = time.Minute

// redetectSource sits under the poller and every viewer when Detect could
// not choose, and the queries read every exporter profile. It asks the
// server again every profileRetry, from a refresh's query; once the
// server names the profiles, each role's expression of every exporter
// profile is answered by the detected profiles' expression for that role
// (or by nothing, for a role they do not fill), and the status says what
// was detected. Expressions it does not know (a graph narrowed to one
// model) go as they are: the union answers them the same.
type redetectSource struct {
	remoteSource
	cfg   *config.Config // as Detect returned it: every exporter profile
	namer metricNamer
	log   *slog.Logger
	now   func() time.Time

	mu       sync.Mutex
	retryAt  time.Time
	rewrite  map[string]string // every exporter profile's expression -> the detected profiles' ("" none)
	profiles *fleet.Profiles
}

var _ remoteSource = (*redetectSource)(nil)

// withRedetect wraps src when detection could not choose; src otherwise.
func withRedetect(cfg *config.Config, src remoteSource, namer metricNamer, log *slog.Logger) remoteSource {
	d := cfg.Prometheus.Detection
	if d == nil || d.Detected {
		return src
	}
	r := &redetectSource{remoteSource: src, cfg: cfg, namer: namer, log: log.With("component", "profiles"), now: time.Now,
		profiles: metricsProfilesOf(cfg)}
	r.retryAt = r.now().Add(profileRetry)
	return r
}

// expr is what to ask in place of expr; skip when the detected profiles
// fill no such role.
func (r *redetectSource) expr(ctx context.Context, expr string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rewrite == nil && !r.now().Before(r.retryAt) {
		r.retry(ctx)
	}
	to, ok := r.rewrite[expr]
	if !ok {
		return expr, false
	}
	return to, to == ""
}

// retry asks the server again; callers hold mu.
func (r *redetectSource) retry(ctx context.Context) {
	r.retryAt = r.now().Add(profileRetry)
	det := detectWith(ctx, r.cfg, r.namer, r.now(), r.log)
	if d := det.Prometheus.Detection; !d.Detected {
		r.profiles = metricsProfilesOf(det)
		return
	}
	old, err := det.Queries()
	if err != nil {
		r.log.Warn("detected profiles not rendered: reading every exporter profile", "err", err)
		return
	}
	all, err := r.cfg.Queries()
	if err != nil {
		return
	}
	byRole := make(map[string]string, len(old))
	for _, q := range old {
		byRole[q.Role] = q.Expr
	}
	rewrite := make(map[string]string, len(all))
	for _, q := range all {
		rewrite[q.Expr] = byRole[q.Role]
	}
	r.rewrite, r.profiles = rewrite, metricsProfilesOf(det)
}

// Profiles says which profiles are read now.
func (r *redetectSource) Profiles() *fleet.Profiles {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := *r.profiles
	p.Names = slices.Clone(p.Names)
	return &p
}

// Recorded passes on what the source below reads from recorded series.
func (r *redetectSource) Recorded() *fleet.Recorded {
	if rr, ok := r.remoteSource.(poll.RecordedReporter); ok {
		return rr.Recorded()
	}
	return nil
}

func (r *redetectSource) Query(ctx context.Context, expr string, at time.Time) (model.Vector, []string, error) {
	expr, skip := r.expr(ctx, expr)
	if skip {
		return model.Vector{}, nil, nil
	}
	return r.remoteSource.Query(ctx, expr, at)
}

func (r *redetectSource) QueryTable(ctx context.Context, expr string, at time.Time, labels []string) (*labelrows.Table, []string, error) {
	expr, skip := r.expr(ctx, expr)
	if skip {
		return labelrows.FromVector(nil, labels), nil, nil
	}
	return r.remoteSource.QueryTable(ctx, expr, at, labels)
}

func (r *redetectSource) QueryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) (model.Matrix, []string, error) {
	expr, skip := r.expr(ctx, expr)
	if skip {
		return model.Matrix{}, nil, nil
	}
	return r.remoteSource.QueryRange(ctx, expr, start, end, step)
}
