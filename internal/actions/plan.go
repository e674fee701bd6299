package actions

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/sources/mlflow"
)

// Plan says what an action would do, before it is confirmed. Show it, and
// pass its ID in the Request that confirms it.
type Plan struct {
	ID string // request id to confirm with (Request.ID)
	// Context is the config context the plan acts in ("" without
	// contexts); confirm with it in Request.Context.
	Context string
	Action  string
	Title   string
	Model   string
	Adapter string // kind
	Target  string // where the request goes, without credentials
	Timeout time.Duration

	// From is the version serving now, To the version a rollback returns
	// to (Request.To, else DefaultTo).
	From, To    string
	DefaultTo   string
	DefaultFrom string // where DefaultTo comes from: "last known good", "audit log" or "registry history"
	// DefaultWhy says why DefaultTo, in a line: its serving record when it
	// is the last known good, or why there is none and the fallback was
	// taken; "" without serving history.
	DefaultWhy string
	Candidates []Candidate // rollback: versions to pick from, newest first

	Changes []string // what changes, in plain words: "alias champion: 8 → 7"
	Meaning string   // what it means for serving
	Summary Summary  // the model's state, sent along with a retrain
	// Evidence is the canary's verdict for a rollout verb (the request's);
	// nil for other actions, or when none was taken.
	Evidence *fleet.Verdict

	// Seen is the version of the target the plan read (a Kubernetes
	// resourceVersion); executing the plan's ID sends it, so a target
	// that changed since is refused. "" for targets read without one.
	Seen string

	// Silence: how long, and when it would end if sent now; Matchers
	// are the silence's (Silence) or the one expired (Unsilence).
	For      time.Duration
	Until    time.Time
	Matchers []string

	TypedName bool // the operator must type the model's name (Request.Confirm)
	// TwoPerson says a second operator must approve it before it is sent
	// (actions.two_person): under `mltop serve` it waits for them; elsewhere
	// Request.Approval must name their recorded approval.
	TwoPerson      bool
	ReasonRequired bool
	// Refusal is why Execute would refuse right now (read-only, role, model
	// state, another action in flight, nothing to roll back to); "" when
	// it would go ahead.
	Refusal  string
	Warnings []string
}

// prepared is a request with everything it needs to be sent.
type prepared struct {
	spec    Spec
	adapter adapter
	data    TemplateData
	sit     situation
	typed   bool
	second  bool   // needs a second operator's approval
	refusal string // from the situation: nothing to roll back to, already serving
}

// Plan reads the registry (and the audit log, for a rollback's default
// target) and says what req would do. It changes nothing. The error is
// non-nil when the action cannot be planned at all (unknown action, the
// registry unreachable for a registry rollback).
func (e *Executor) Plan(ctx context.Context, req Request) (Plan, error) {
	s, ok := e.Spec(req.Action)
	if !ok {
		return Plan{}, notConfigured(req.Action)
	}
	// A plan id another context made stays refused here; any other is
	// made this executor's.
	refusal := e.otherContext(req)
	switch {
	case refusal == "":
		req.ID = e.adopt(req.ID)
	case req.ID == "":
		req.ID = NewID()
	}
	if s.Action == Unsilence && strings.TrimSpace(req.Model) == "" && s.Missing == "" {
		m, err := e.silenceModel(ctx, s, req)
		if err != nil {
			return Plan{}, err
		}
		req.Model = m
	}
	if strings.TrimSpace(req.Model) == "" {
		return Plan{}, fmt.Errorf("no model named")
	}
	a := e.adapters[s.Action]
	p := Plan{
		ID: req.ID, Context: e.context, Action: s.Action, Title: s.Title, Model: req.Model, Adapter: s.Kind,
		Target: a.target(), Timeout: timeout(s.cfg), ReasonRequired: e.requireReason,
	}
	if p.Refusal = refusal; p.Refusal == "" {
		p.Refusal = e.gate(s, req)
	}
	if id := e.InFlight(req.Model); id != "" && p.Refusal == "" {
		p.Refusal = fmt.Sprintf("another action on %s is in progress (request %s)", req.Model, id)
	}
	ctx, cancel := context.WithTimeout(mlflow.WithRequestTimeout(ctx, p.Timeout), p.Timeout)
	defer cancel()
	pr, err := e.prepare(ctx, s, req)
	if err != nil {
		return p, err
	}
	p.From, p.To = pr.data.From, pr.data.To
	if s.Action != Rollback {
		p.From = pr.data.Version
	}
	p.DefaultTo, p.DefaultFrom, p.DefaultWhy = pr.sit.defaultTo, pr.sit.defaultFrom, pr.sit.defaultWhy
	p.Candidates = pr.sit.candidates
	p.Changes, p.Meaning = a.describe(pr.data)
	p.Summary = pr.data.Summary
	p.Evidence = pr.data.evidence
	p.TypedName = pr.typed
	p.TwoPerson = pr.second
	p.Warnings = pr.sit.warnings
	if sv := pr.data.silence; sv != nil {
		p.For, p.Matchers = sv.dur, sv.matcherTexts(pr.data)
		if s.Action == Silence {
			p.Until = e.now().Add(sv.dur).UTC()
		}
	}
	if p.Refusal == "" {
		p.Refusal = pr.refusal
	}
	if pr.data.rollout != nil {
		p.Seen = pr.data.rollout.version
		e.rememberSeen(p.ID, p.Seen)
	}
	return p, nil
}

// prepare resolves the situation and the data sent.
func (e *Executor) prepare(ctx context.Context, s Spec, req Request) (prepared, error) {
	sit, err := e.situation(ctx, s, req)
	if err != nil {
		return prepared{}, err
	}
	pr := prepared{spec: s, adapter: e.adapters[s.Action], sit: sit}
	pr.data = TemplateData{
		Action: s.Action, Title: s.Title, RequestID: req.ID, Model: req.Model,
		Version: sit.from, Alias: e.servingAlias, Canary: sit.canary,
		Reason: strings.TrimSpace(req.Reason), Actor: req.Actor,
		Summary: summarize(req.Snapshot, sit.from),
		traffic: sit.traffic,
	}
	if IsRolloutVerb(s.Action) {
		pr.data.evidence, pr.data.tags = req.Evidence, sit.tags
	}
	if s.Kind == kindAlertmanager {
		pr.data.silence = &silenceSeen{dur: req.For, version: strings.TrimSpace(req.Version),
			alert: strings.TrimSpace(req.Alert), id: strings.TrimSpace(req.SilenceID)}
		if sit.unknown != "" {
			// Alerts may carry a model label the registry does not
			// know: said, not refused.
			pr.sit.warnings = append(pr.sit.warnings, sit.unknown)
			sit.unknown = ""
		}
	}
	pr.refusal = sit.unknown
	if l, ok := pr.adapter.(looker); ok {
		// The target itself says whether the model is known.
		refusal, err := l.look(ctx, &pr.data)
		if err != nil {
			return prepared{}, err
		}
		pr.refusal = refusal
	}
	if s.Action == Rollback {
		pr.data.From = sit.from
		pr.data.To = or(req.To, sit.defaultTo)
		pr.refusal = rollbackRefusal(req.Model, pr.data.From, pr.data.To, sit)
	}
	changesServing := s.Action == Rollback || IsRolloutVerb(s.Action) && s.Dangerous
	pr.typed = s.Dangerous && s.Action != Rollback && !IsRolloutVerb(s.Action) || s.typed || e.tagged(sit.tags) ||
		// Tags unknown (registry unreachable): a rollback asks, to be safe.
		changesServing && sit.tags == nil && len(e.typedName) > 0
	pr.second = e.needsSecond(sit.tags)
	return pr, nil
}

func rollbackRefusal(model, from, to string, sit situation) string {
	switch {
	case to == "":
		return fmt.Sprintf("no earlier version of %s to roll back to: name one (--to VERSION)", model)
	case to == from:
		return alreadyNamed(model, to, sit.traffic)
	case len(sit.candidates) > 0 && !slices.ContainsFunc(sit.candidates, func(c Candidate) bool { return c.Version == to }):
		return fmt.Sprintf("v%s is not a ready version of %s", to, model)
	}
	return ""
}

// tagged reports whether the model's tags ask for a typed name.
func (e *Executor) tagged(tags map[string]string) bool {
	for tag, values := range e.typedName {
		if v, ok := tags[tag]; ok && slices.Contains(values, v) {
			return true
		}
	}
	return false
}

func timeout(cfg config.Action) time.Duration {
	if cfg.Timeout > 0 {
		return cfg.Timeout
	}
	return config.DefaultActionTimeout
}

func notConfigured(action string) error {
	key := "actions.custom"
	switch {
	case action == Rollback || action == Retrain:
		key = "actions." + action
	case IsRolloutVerb(action):
		key = "actions.rollout"
	}
	return fmt.Errorf("no action %q is configured (%s in the config file; see docs/actions.md)", action, key)
}

// looker is an adapter that reads its target before planning (a Rollout):
// what it read goes into d, and decides the refusal by the target's state.
type looker interface {
	look(ctx context.Context, d *TemplateData) (refusal string, err error)
}
