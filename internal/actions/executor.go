package actions

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// Options configure an Executor. Zero values take the defaults noted.
type Options struct {
	Actions        config.Actions
	ServingAlias   string // default "champion"
	CandidateAlias string // default "challenger"
	ReadOnly       bool
	// Registry is the MLflow client; nil without a tracking server (the
	// mlflow-* rollback kinds then refuse to plan).
	Registry Registry
	Audit    *audit.Log // required
	// HTTP sends webhook and pipeline requests; default: a client that
	// never reuses a connection nor follows a redirect, so that nothing
	// below Execute can send a request twice.
	HTTP   *http.Client
	Logger *slog.Logger
	Now    func() time.Time
	Host   string // recorded as the actor's host when a request has none; default os.Hostname
	// Alertmanager is where silences go; without a url the silence
	// actions are listed, Missing.
	Alertmanager config.Alertmanager
	// Served is the serving history a rollback's default target (the last
	// known good) is chosen from; nil: the audit log's and registry's rule.
	Served ServedHistory
	// Thresholds judge a last known good's serving record (judge.KnownGood);
	// zero: fleet.DefaultThresholds.
	Thresholds fleet.Thresholds
	// Baselines is a version's offline evaluation as the latest registry
	// read has it, for versions the snapshot does not list (no longer
	// serving); nil: the snapshot's only.
	Baselines func(model, version string) map[string]float64
	// Context is the config context whose sources the executor acts on
	// ("" without contexts): its plans and audit records say it, it reads
	// only that context's audit records, and it refuses plans made in
	// another context.
	Context string
}

// Executor runs actions. It is safe for concurrent use by many sessions.
type Executor struct {
	specs          []Spec
	adapters       map[string]adapter // by Spec.Action
	requireReason  bool
	typedName      map[string][]string
	twoPerson      map[string][]string
	approvalTTL    time.Duration
	servingAlias   string
	candidateAlias string
	readOnly       bool
	registry       Registry
	audit          *audit.Log
	http           *http.Client
	log            *slog.Logger
	now            func() time.Time
	host           string
	served         ServedHistory
	thresholds     fleet.Thresholds
	baselines      func(model, version string) map[string]float64
	context        string

	mu       sync.Mutex
	inFlight map[string]string // model -> request id
	sent     map[string]bool   // request ids already sent
	plans    planBook

	inspect inspectCache
}

// New checks the action config (kinds, body templates) and builds an
// Executor. It does no I/O.
func New(opts Options) (*Executor, error) {
	if opts.Audit == nil {
		return nil, errors.New("actions: an audit log is required")
	}
	e := &Executor{
		specs:          specs(opts.Actions),
		adapters:       map[string]adapter{},
		requireReason:  opts.Actions.RequireReason,
		typedName:      opts.Actions.TypedName,
		twoPerson:      opts.Actions.TwoPerson,
		approvalTTL:    opts.Actions.ApprovalTTL,
		servingAlias:   or(opts.ServingAlias, "champion"),
		candidateAlias: or(opts.CandidateAlias, "challenger"),
		readOnly:       opts.ReadOnly,
		registry:       opts.Registry,
		audit:          opts.Audit,
		http:           opts.HTTP,
		log:            opts.Logger,
		now:            opts.Now,
		host:           opts.Host,
		served:         opts.Served,
		thresholds:     opts.Thresholds,
		baselines:      opts.Baselines,
		context:        opts.Context,
		inspect:        inspectCache{ttl: inspectShared},
		inFlight:       map[string]string{},
		sent:           map[string]bool{},
		plans:          planBook{seen: map[string]string{}},
	}
	if e.context != "" {
		e.audit = opts.Audit.ForContext(e.context)
	}
	if e.http == nil {
		e.http = onceClient()
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.approvalTTL <= 0 {
		e.approvalTTL = config.DefaultApprovalTTL
	}
	if e.thresholds == (fleet.Thresholds{}) {
		e.thresholds = fleet.DefaultThresholds
	}
	if e.host == "" {
		e.host, _ = os.Hostname()
	}
	for i := range e.specs {
		s := &e.specs[i]
		// Defaults and checks are the loader's, for actions built in code.
		if err := config.FinishAction(&s.cfg, use(*s)); err != nil {
			return nil, fmt.Errorf("actions.%s: %w", configKey(*s), err)
		}
		a, err := e.newAdapter(*s)
		if err != nil {
			return nil, fmt.Errorf("actions.%s: %w", configKey(*s), err)
		}
		e.adapters[s.Action] = a
	}
	for _, s := range silenceSpecs(opts.Alertmanager) {
		if s.Key != "" && slices.ContainsFunc(opts.Actions.Custom, func(c config.CustomAction) bool { return c.Key == s.Key }) {
			s.Key = "" // a custom action kept M (allowed without an Alertmanager): the silence is the CLI's
		}
		e.specs = append(e.specs, s)
		e.adapters[s.Action] = &amAdapter{e: e, am: opts.Alertmanager, base: strings.TrimRight(opts.Alertmanager.URL, "/"), verb: s.Action}
	}
	return e, nil
}

func configKey(s Spec) string {
	if s.Action == Rollback || s.Action == Retrain {
		return s.Action
	}
	if IsRolloutVerb(s.Action) {
		return "rollout"
	}
	return "custom " + s.Key
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Specs lists the configured actions in a stable order.
func (e *Executor) Specs() []Spec { return append([]Spec(nil), e.specs...) }

// Spec returns the configured action called name (Rollback, Retrain or a
// custom key).
func (e *Executor) Spec(name string) (Spec, bool) {
	for _, s := range e.specs {
		if s.Action == name {
			return s, true
		}
	}
	return Spec{}, false
}

// ReadOnly reports whether every action is refused.
func (e *Executor) ReadOnly() bool { return e.readOnly }

// Context is the config context the executor acts in; "" without contexts.
func (e *Executor) Context() string { return e.context }

// AuditRecords reads the audit log, oldest first, keeping the records f
// selects; torn counts the lines skipped as cut short. The audit screen
// lists these.
func (e *Executor) AuditRecords(f audit.Filter) (records []audit.Record, torn int, err error) {
	torn, err = e.audit.Scan(func(r audit.Record) error {
		if f.Match(r) {
			records = append(records, r)
		}
		return nil
	})
	return records, torn, err
}

// InFlight returns the id of the action running on model, or "".
func (e *Executor) InFlight(model string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.inFlight[model]
}

// lock marks model busy with id; false when another action holds it.
func (e *Executor) lock(model, id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, busy := e.inFlight[model]; busy {
		return false
	}
	e.inFlight[model] = id
	return true
}

func (e *Executor) unlock(model string) {
	e.mu.Lock()
	delete(e.inFlight, model)
	e.mu.Unlock()
}

// claim marks id as sent; false when it already was.
func (e *Executor) claim(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.sent[id] {
		return false
	}
	e.sent[id] = true
	return true
}

func (e *Executor) isSent(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.sent[id]
}
