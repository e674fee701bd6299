package poll

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

// MetricsSource answers instant PromQL queries: a remote Prometheus-compatible
// server or the embedded engine. Implementations honour ctx's deadline.
type MetricsSource interface {
	Name() string
	Kind() string
	// Query evaluates expr at time at. Warnings are partial-response notes
	// returned alongside data; an error means no usable data.
	Query(ctx context.Context, expr string, at time.Time) (model.Vector, []string, error)
}

// TableSource may be implemented by a metrics source that can answer a
// query as a table of chosen labels without a label map per sample. The
// poller asks it for the histogram roles, whose answers run to hundreds
// of thousands of samples; other sources' answers are converted.
type TableSource interface {
	// QueryTable is Query keeping only the named labels, as columns in
	// that order.
	QueryTable(ctx context.Context, expr string, at time.Time, labels []string) (*labelrows.Table, []string, error)
}

// RegistrySource reads a model registry.
type RegistrySource interface {
	Name() string
	Kind() string
	Registry(ctx context.Context) (fleet.Registry, error)
}

// Query is one named PromQL expression filling one role.
type Query struct {
	Name string
	Role fleet.Role
	Expr string
	// Every, when longer than the refresh, sends the query only that often
	// and reuses its last answer in between: for slow-moving quantities
	// that are costly to ask for (a reference window that ended days ago).
	// A failed attempt is retried on the next refresh.
	Every time.Duration
}

// BackendReporter may be implemented by a source that can tell which engine
// answers it (e.g. "thanos" behind a Prometheus-compatible API); the poller
// shows it in the source's status.
type BackendReporter interface {
	Backend() string
}

// RecordedReporter may be implemented by a source that reads some roles
// from recording rules' series; the poller shows which in the source's
// status (nil: not looked for yet).
type RecordedReporter interface {
	Recorded() *fleet.Recorded
}

// ProfilesReporter may be implemented by a metrics source whose profiles
// can change while it runs (detection asked again); the poller shows them
// in the source's status instead of Options.Profiles.
type ProfilesReporter interface {
	Profiles() *fleet.Profiles
}

// ErrNotAsked is what a metrics source answers, wrapped with why, for a
// query it did not send: the profiles it reads fill no such role. The
// poller neither counts it as an answer nor as a failure, so it can never
// make a source look up while the server is down, and drops the query
// from the snapshot's list.
var ErrNotAsked = errors.New("not asked")

// PollPreparer may be implemented by a metrics source that changes what it
// asks while it runs (detection asked again). The poller calls PreparePoll
// before sending a refresh's queries, never during, so one refresh never
// mixes two sets of queries.
type PollPreparer interface {
	PreparePoll(ctx context.Context)
}
