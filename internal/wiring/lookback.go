package wiring

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/sources/alerts"
	"github.com/mltop/mltop/sources/prometheus"
)

// PastRegistry is the registry as it was at a past time, rebuilt from
// the alias and stage changes mltop recorded (*registryhistory.Log), with
// notes that say where it may not be (before the history began, a registry
// read now that differs from what was recorded).
type PastRegistry interface {
	RegistryAt(current fleet.Registry, at time.Time) (fleet.Registry, []string, error)
}

// LookBacker makes the snapshot of a past time (App.SnapshotAt).
type LookBacker interface {
	SnapshotAt(ctx context.Context, at time.Time) (fleet.Snapshot, error)
}

// LookBack is the app as a LookBacker for the dashboard's :at; nil when
// there is no metrics source to look back in.
func (a *App) LookBack() LookBacker {
	if a.Poller.Options().Metrics == nil {
		return nil
	}
	return a
}

// ErrNothingThen means no query had any series at the time looked at:
// before the server's retention, or before the models were scraped.
var ErrNothingThen = errors.New("no data then")

// Notes of a look back that say what is not as it was.
const (
	noteTodaysAliases = "aliases and stages are today's: mltop keeps no registry history here"
	noteAlertmanager  = "alerts at a past time are unknown: Alertmanager keeps no history of them, and no rule evaluator's ALERTS series is configured to read"
)

// SnapshotAt is the fleet as it was at a past time at: the same sources
// and queries as the live poller, every query evaluated at at, windows,
// staleness and ages ending there, the registry's aliases from its
// history, and the alerts from the ALERTS series then. It runs one poll of
// its own: the live poller, which may serve several viewers, is never
// stopped or moved. The snapshot says it is not live (LookBack).
func (a *App) SnapshotAt(ctx context.Context, at time.Time) (fleet.Snapshot, error) {
	made := time.Now()
	if at.After(made) {
		return fleet.Snapshot{}, fmt.Errorf("%s is in the future: looking back needs a past time", at.UTC().Format(time.RFC3339))
	}
	if a.Poller.Options().Metrics == nil {
		return fleet.Snapshot{}, errors.New("looking back needs a metrics server: a registry alone keeps no past values")
	}
	lb := &fleet.LookBack{MadeAt: made}
	opts := a.Poller.Options()
	opts.At = at
	// A past registry is not a read of today's: the history must not
	// record it.
	opts.OnRegistry = nil
	opts.Metrics = pastMetrics{opts.Metrics}
	if opts.Drift != nil {
		// The live one's options; its reused work is the present's.
		opts.Drift = opts.Drift.Fresh()
	}
	var reg *registryAt
	if opts.Registry != nil {
		reg = &registryAt{app: a, src: opts.Registry, at: at}
		opts.Registry = reg
	}
	if opts.Alerts != nil {
		opts.Alerts = a.pastAlerts(at)
	}
	snap := poll.New(opts).PollOnce(ctx)
	if err := a.nothingThen(snap, at); err != nil {
		return fleet.Snapshot{}, err
	}
	lb.Notes = append(lb.Notes, reg.notes()...)
	if s := snap.Alerts; s != nil && !s.Known {
		lb.Notes = append(lb.Notes, "alerts unknown: "+s.Error)
	}
	snap.LookBack = lb
	return snap, nil
}

// nothingThen is ErrNothingThen, in words, when every query answered and
// none had a series.
func (a *App) nothingThen(snap fleet.Snapshot, at time.Time) error {
	if len(snap.Queries) == 0 {
		return nil
	}
	for _, q := range snap.Queries {
		if !q.OK || q.Series > 0 {
			return nil
		}
	}
	when := at.UTC().Format("2006-01-02 15:04:05 UTC")
	if a.Engine != nil {
		return fmt.Errorf("%w: the built-in engine has nothing at %s; it keeps only what it scraped since mltop started (at most %s): set prometheus.url to look further back",
			ErrNothingThen, when, retention(a.Config))
	}
	return fmt.Errorf("%w: no query had any series at %s: before the server's retention, or before the models were scraped", ErrNothingThen, when)
}

// pastAlerts is where the alerts at a past time are read: the ALERTS
// series of the Prometheus-compatible server's rule evaluator, or an
// alert source that says why they are unknown.
func (a *App) pastAlerts(at time.Time) poll.AlertSource {
	if a.Config.Prometheus.URL != "" && a.Config.Prometheus.Backend != prometheus.BackendVictoriaMetrics && a.Metrics != nil {
		var rules alerts.RuleLister
		if a.rules != nil { // a nil *Reader would not read as absent
			rules = a.rules
		}
		return alerts.NewPast(a.Metrics, rules, at)
	}
	return unknownAlerts{}
}

// unknownAlerts is an alert source whose every read fails with why: the
// alerts are unknown, never "none".
type unknownAlerts struct{}

func (unknownAlerts) Name() string { return "alerts" }
func (unknownAlerts) Kind() string { return fleet.SourceKindAlerts }
func (unknownAlerts) Alerts(context.Context) ([]fleet.Alert, []string, error) {
	return nil, nil, errors.New(noteAlertmanager)
}

// registryAt is the registry as it was at a past time: today's read (the
// live poller's latest, or one read now) taken back through the history,
// which starts from what it last recorded (a read now that was not
// recorded may hold changes of unknown time). Without a history, or when
// it fails, today's registry is used; the look back's notes say so, and
// pass on the history's own (before it began, a read that differs).
type registryAt struct {
	app *App
	src poll.RegistrySource // the live poller's
	at  time.Time

	mu   sync.Mutex // a read cut off by the deadline may still be running
	said []string   // where the aliases may not be as they were; none when they are
}

// notes are where the aliases may not be as they were; none when they are
// (or there is no registry).
func (r *registryAt) notes() []string {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.said
}

func (r *registryAt) say(s ...string) {
	r.mu.Lock()
	r.said = s
	r.mu.Unlock()
}

func (r *registryAt) Name() string { return r.src.Name() }
func (r *registryAt) Kind() string { return r.src.Kind() }

func (r *registryAt) Registry(ctx context.Context) (fleet.Registry, error) {
	cur, err := r.current(ctx)
	if err != nil {
		return fleet.Registry{}, err
	}
	h := r.app.PastRegistry
	if h == nil {
		r.say(noteTodaysAliases)
		return cur, nil
	}
	past, notes, err := h.RegistryAt(cur, r.at)
	if err != nil {
		r.say("aliases and stages are today's: the registry history could not be read (" + err.Error() + ")")
		return cur, nil
	}
	r.say(notes...)
	return past, nil
}

// current is the live poller's latest registry read; a command that runs
// no live poller reads the registry itself.
func (r *registryAt) current(ctx context.Context) (fleet.Registry, error) {
	if reg := r.app.Poller.Registry(); reg != nil {
		return *reg, nil
	}
	if !r.app.started.IsZero() {
		// The live poller owns the source; it has not finished a read yet.
		return fleet.Registry{}, errors.New("the registry has not been read yet: try again in a moment")
	}
	return r.src.Registry(ctx)
}

// pastMetrics is the metrics source without its scrape targets: their
// state is today's, and says nothing of the past.
type pastMetrics struct{ src poll.MetricsSource }

func (p pastMetrics) Name() string { return p.src.Name() }
func (p pastMetrics) Kind() string { return p.src.Kind() }

func (p pastMetrics) Query(ctx context.Context, expr string, at time.Time) (model.Vector, []string, error) {
	return p.src.Query(ctx, expr, at)
}

func (p pastMetrics) QueryTable(ctx context.Context, expr string, at time.Time, cols []string) (*labelrows.Table, []string, error) {
	return poll.QueryTable(ctx, p.src, expr, at, cols)
}

func (p pastMetrics) Backend() string {
	if br, ok := p.src.(poll.BackendReporter); ok {
		return br.Backend()
	}
	return ""
}

func (p pastMetrics) Profiles() *fleet.Profiles {
	if pr, ok := p.src.(poll.ProfilesReporter); ok {
		return pr.Profiles()
	}
	return nil
}

func (p pastMetrics) Recorded() *fleet.Recorded {
	if rr, ok := p.src.(poll.RecordedReporter); ok {
		return rr.Recorded()
	}
	return nil
}
