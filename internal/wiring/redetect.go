package wiring

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
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
// not choose, and the queries read every exporter profile. Before a
// refresh, every profileRetry, it asks the server again (PreparePoll:
// outside its lock, so graphs and queries never wait for the question,
// and swapped in before the refresh's queries, so one refresh never mixes
// two sets). Once the server names the profiles, each role's expression
// of every exporter profile is answered by the detected profiles'
// expression for that role, and the status says what was detected. A role
// they do not fill is not sent: an instant query of it answers
// poll.ErrNotAsked, which never counts as the server answering.
// Expressions it does not know (a graph narrowed to one model) go as they
// are: the union answers them the same.
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

var (
	_ remoteSource      = (*redetectSource)(nil)
	_ poll.PollPreparer = (*redetectSource)(nil)
)

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

// PreparePoll asks the server again when the minute has passed and
// nothing was detected yet. The question (up to 5s) runs without the
// lock; its outcome is swapped in whole.
func (r *redetectSource) PreparePoll(ctx context.Context) {
	r.mu.Lock()
	due := r.rewrite == nil && !r.now().Before(r.retryAt)
	if due {
		// Taken before asking: a second caller does not ask as well.
		r.retryAt = r.now().Add(profileRetry)
	}
	r.mu.Unlock()
	if !due {
		return
	}
	rewrite, profiles := r.redetect(ctx)
	r.mu.Lock()
	r.rewrite, r.profiles = rewrite, profiles
	r.mu.Unlock()
}

// expr is what to ask in place of expr; skip when the detected profiles
// fill no such role.
func (r *redetectSource) expr(expr string) (to string, skip bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	to, ok := r.rewrite[expr]
	if !ok {
		return expr, false
	}
	return to, to == ""
}

// notAsked is the answer for a role the detected profiles do not fill.
func (r *redetectSource) notAsked() error {
	p := r.Profiles()
	return fmt.Errorf("%w: the detected profiles (%s) fill no such role", poll.ErrNotAsked, strings.Join(p.Names, ", "))
}

// redetect asks the server which profiles it holds: the rewrite to use
// (nil while it cannot choose) and what the status says.
func (r *redetectSource) redetect(ctx context.Context) (map[string]string, *fleet.Profiles) {
	det := detectWith(ctx, r.cfg, r.namer, r.now(), r.log)
	if d := det.Prometheus.Detection; !d.Detected {
		return nil, metricsProfilesOf(det)
	}
	old, err := det.Queries()
	if err != nil {
		r.log.Warn("detected profiles not rendered: reading every exporter profile", "err", err)
		return nil, metricsProfilesOf(r.cfg)
	}
	all, err := r.cfg.Queries()
	if err != nil {
		return nil, metricsProfilesOf(r.cfg)
	}
	byRole := make(map[string]string, len(old))
	for _, q := range old {
		byRole[q.Role] = q.Expr
	}
	rewrite := make(map[string]string, len(all))
	for _, q := range all {
		rewrite[q.Expr] = byRole[q.Role]
	}
	return rewrite, metricsProfilesOf(det)
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
	expr, skip := r.expr(expr)
	if skip {
		return nil, nil, r.notAsked()
	}
	return r.remoteSource.Query(ctx, expr, at)
}

func (r *redetectSource) QueryTable(ctx context.Context, expr string, at time.Time, labels []string) (*labelrows.Table, []string, error) {
	expr, skip := r.expr(expr)
	if skip {
		return nil, nil, r.notAsked()
	}
	return r.remoteSource.QueryTable(ctx, expr, at, labels)
}

// QueryRange answers a role the detected profiles do not fill with no
// series: graphs and histories show it empty, as for a profile without the
// metric, and a range read never says whether the server is up.
func (r *redetectSource) QueryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) (model.Matrix, []string, error) {
	expr, skip := r.expr(expr)
	if skip {
		return model.Matrix{}, nil, nil
	}
	return r.remoteSource.QueryRange(ctx, expr, start, end, step)
}
