package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/sshserve"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/contexts"
	"github.com/mltop/mltop/ui/root"
)

// serveContexts is mltop serve over a config's contexts: the server's
// context (the one it was started on) polls from the start with its
// actions and two-person rule; every other context's sources and poller
// start the first time any session shows it, and are shared by every
// session from then on. A session acts in each context it opens as its
// user, through that context's own executor (its audit, read_only and
// refusals) and approvals store: actions never cross contexts.
type serveContexts struct {
	ctx   context.Context // the server's: every poller runs until it ends
	log   *slog.Logger
	cfg   *config.Config
	first string // the server's context
	// every are the command line's flags laid over each context started.
	every everyContext

	mu   sync.Mutex
	apps map[string]*wiring.App
	// closed: the server is stopping; a context is no longer started.
	closed bool
}

// serverConfig is the config the server's own context runs with.
func serverConfig(cfg *config.Config) (*config.Config, string, error) {
	if len(cfg.Contexts) == 0 {
		return cfg, "", nil
	}
	first, err := startContext(cfg)
	if err != nil {
		return nil, "", err
	}
	// Where it listens and who may connect are the server's (with the
	// command line's --listen), whatever a context says.
	c := *chosenConfig(cfg, first)
	c.Serve = cfg.Serve
	return &c, first.Name, nil
}

// allowed are the contexts a user may open: serve.users[].contexts, or
// every one when the list is empty.
func (s *serveContexts) allowed(user string) []config.Context {
	var want []string
	for _, u := range s.cfg.Serve.Users {
		if u.Name == user {
			want = u.Contexts
		}
	}
	if len(want) == 0 {
		return s.cfg.Contexts
	}
	var out []config.Context
	for _, c := range s.cfg.Contexts {
		if slices.Contains(want, c.Name) {
			out = append(out, c)
		}
	}
	return out
}

// config is the config a context other than the server's runs with.
func (s *serveContexts) config(c config.Context) *config.Config {
	return s.every.over(contextConfig(c))
}

// app is a context's shared sources and poller, started on first use;
// ctx bounds the start.
func (s *serveContexts) app(ctx context.Context, c config.Context) (*wiring.App, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, fmt.Errorf("context %s: %w", c.Name, errServerStopping)
	}
	if a := s.apps[c.Name]; a != nil {
		s.mu.Unlock()
		return a, nil
	}
	s.mu.Unlock()
	// Built outside the lock: detecting the profiles asks the server,
	// and other sessions must not wait for it.
	a, err := newApp(ctx, s.config(c), s.log.With("context", c.Name))
	if err != nil {
		return nil, fmt.Errorf("context %s: %w", c.Name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		a.Close()
		return nil, fmt.Errorf("context %s: %w", c.Name, errServerStopping)
	case s.apps[c.Name] != nil: // another session started it meanwhile
		a.Close()
		return s.apps[c.Name], nil
	}
	a.Start(s.ctx)
	a.RunPoller(s.ctx)
	if s.apps == nil {
		s.apps = map[string]*wiring.App{}
	}
	s.apps[c.Name] = a
	return a, nil
}

// close waits for every context's poller and engine; the server's context
// is cancelled first.
func (s *serveContexts) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.apps {
		a.Close()
	}
	s.apps, s.closed = nil, true
}

// errServerStopping is a context asked for while the server stops.
var errServerStopping = errors.New("the server is stopping")

// actionsFor are a session's actions through a context's executor
// (sshserve.Session.ActionsFor).
type actionsFor func(*actions.Executor) common.Actions

// options are a session's root for another context than the server's:
// its look and identity (base, the session's options), that context's
// data and actions, as the session's user through acts (nil: none, the
// context is read-only). The subscription ends with the connection (done).
func (s *serveContexts) options(ctx, done context.Context, base root.Options, c config.Context, acts actionsFor) (root.Options, error) {
	a, err := s.app(ctx, c)
	if err != nil {
		return root.Options{}, err
	}
	cfg := s.config(c)
	snapshots, unsubscribe := a.Poller.Hub().Subscribe()
	go func() {
		<-done.Done()
		unsubscribe()
	}()
	o := base
	o.Snapshots, o.Refresh = snapshots, cfg.Refresh
	j := judge.FromConfig(cfg)
	o.Thresholds, o.Comparisons = j.Thresholds, j.Comparisons
	o.History, o.DriftHistory, o.Served, o.Events, o.LookBack = a.History, a.DriftHistory, a.ServedHistory(), a.Events, a.LookBack()
	o.Context = prometheusHost(cfg)
	// The context's own read_only (and --read-only) hold; its executor
	// refuses as well, whatever the dashboard offers.
	o.ReadOnly, o.Actions = cfg.ReadOnly, nil
	if acts != nil && a.Actions != nil {
		o.Actions = acts(a.Actions)
	} else {
		o.ReadOnly = true
	}
	return o, nil
}

// model is a session's dashboard over the contexts its user may open,
// starting on the server's when allowed.
func (s *serveContexts) model(sess *sshserve.Session) tea.Model {
	return s.modelFor(sess.Context(), sess.Identity().User, sess.DashboardOptions(), sess.ActionsFor)
}

// modelFor is user's dashboard; base is their session's root options (the
// server's context, with their identity and executor), done ends with
// the connection; acts are the session's actions in another context.
func (s *serveContexts) modelFor(done context.Context, user string, base root.Options, acts actionsFor) tea.Model {
	allowed := s.allowed(user)
	if len(allowed) == 0 {
		return contexts.None{Why: "none of the contexts serve.users lists for " + user + " is in the config"}
	}
	byName := map[string]config.Context{}
	for _, c := range allowed {
		byName[c.Name] = c
	}
	current := s.first
	first := base
	if _, ok := byName[current]; !ok {
		// Never the server's context instead: it is not theirs, and its
		// options carry the session's executor.
		current = allowed[0].Name
		ctx, cancel := context.WithTimeout(done, contexts.OpenTimeout)
		o, err := s.options(ctx, done, base, allowed[0], acts)
		cancel()
		if err != nil {
			s.log.Error("session's context", "user", user, "context", current, "err", err)
			return contexts.None{Why: "context " + current + " failed to start: " + err.Error()}
		}
		first = o
	}
	return contexts.New(contexts.Options{
		Contexts: allowed, Current: current, First: first, Done: done,
		Open: func(ctx context.Context, name string) (root.Options, error) {
			c, ok := byName[name]
			if !ok {
				return root.Options{}, fmt.Errorf("context %s is not yours to open", name)
			}
			return s.options(ctx, done, base, c, acts)
		},
	})
}
