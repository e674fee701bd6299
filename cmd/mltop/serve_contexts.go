package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/sshserve"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/ui/contexts"
	"github.com/mltop/mltop/ui/root"
)

// serveContexts is mltop serve over a config's contexts: the server's
// context (the one it was started on) polls from the start with its
// actions and two-person rule; every other context's sources and poller
// start the first time any session shows it, and are shared by every
// session from then on. Over SSH the other contexts are read-only: their
// actions need the executor, approvals and audit of their own server.
type serveContexts struct {
	ctx   context.Context // the server's: every poller runs until it ends
	log   *slog.Logger
	cfg   *config.Config
	first string // the server's context

	mu   sync.Mutex
	apps map[string]*wiring.App
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

// app is a context's shared sources and poller, started on first use.
func (s *serveContexts) app(c config.Context) (*wiring.App, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.apps[c.Name]; a != nil {
		return a, nil
	}
	log := s.log.With("context", c.Name)
	cfg := wiring.Detect(s.ctx, contextConfig(c), log)
	a, err := wiring.New(cfg, log)
	if err != nil {
		return nil, fmt.Errorf("context %s: %w", c.Name, err)
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
	s.apps = nil
}

// options are a session's root for another context than the server's:
// its look and identity, that context's data, read-only. The subscription
// ends with the connection.
func (s *serveContexts) options(sess *sshserve.Session, c config.Context) (root.Options, error) {
	a, err := s.app(c)
	if err != nil {
		return root.Options{}, err
	}
	cfg := contextConfig(c)
	snapshots, unsubscribe := a.Poller.Hub().Subscribe()
	go func() {
		<-sess.Context().Done()
		unsubscribe()
	}()
	o := sess.DashboardOptions()
	o.Snapshots, o.Refresh = snapshots, cfg.Refresh
	o.Thresholds, o.Comparisons = judge.FromConfig(cfg).Thresholds, judge.FromConfig(cfg).Comparisons
	o.History, o.DriftHistory, o.Served, o.Events, o.LookBack = a.History, a.DriftHistory, a.ServedHistory(), a.Events, a.LookBack()
	o.Context = prometheusHost(cfg)
	o.ReadOnly, o.Actions = true, nil
	return o, nil
}

// model is a session's dashboard over the contexts its user may open,
// starting on the server's when allowed.
func (s *serveContexts) model(sess *sshserve.Session) tea.Model {
	allowed := s.allowed(sess.Identity().User)
	if len(allowed) == 0 {
		return contexts.None{Why: "none of the contexts serve.users lists for " + sess.Identity().User + " is in the config"}
	}
	byName := map[string]config.Context{}
	for _, c := range allowed {
		byName[c.Name] = c
	}
	current := s.first
	first := sess.DashboardOptions()
	if _, ok := byName[current]; !ok {
		current = allowed[0].Name
		o, err := s.options(sess, allowed[0])
		if err != nil {
			s.log.Error("session's context", "context", current, "err", err)
			return sess.Dashboard()
		}
		first = o
	}
	return contexts.New(contexts.Options{
		Contexts: allowed, Current: current, First: first, Done: sess.Context(),
		Open: func(_ context.Context, name string) (root.Options, error) {
			c, ok := byName[name]
			if !ok {
				return root.Options{}, fmt.Errorf("context %s is not yours to open", name)
			}
			return s.options(sess, c)
		},
	})
}
