package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/ui/contexts"
	"github.com/mltop/mltop/ui/root"
)

// contextApps starts the sources and poller of each context the dashboard
// shows (one, without contexts) and stops them all when it ends.
type contextApps struct {
	ctx     context.Context // the dashboard's: every poller runs until it ends
	log     *slog.Logger
	d       dashboard
	noColor bool

	mu     sync.Mutex
	apps   []*wiring.App
	unsubs []func()
	// closed: the dashboard has ended; a context whose start finishes
	// after that is stopped at once, not left polling.
	closed bool
}

// errClosed is a context opened after the dashboard ended.
var errClosed = errors.New("the dashboard has ended")

// newApp builds a config's sources, giving up when ctx ends first (the
// build then finishes on its own and what it made is closed).
func newApp(ctx context.Context, cfg *config.Config, log *slog.Logger) (*wiring.App, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type built struct {
		a   *wiring.App
		err error
	}
	done := make(chan built, 1)
	go func() {
		// No prometheus.profile written: the server says which exporters it holds.
		a, err := wiring.New(wiring.Detect(ctx, cfg, log), log)
		done <- built{a, err}
	}()
	select {
	case b := <-done:
		return b.a, b.err
	case <-ctx.Done():
		go func() {
			if b := <-done; b.a != nil {
				b.a.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// open starts one config's sources and poller and returns the options of
// a root showing them. ctx bounds the start; the poller runs until the
// dashboard ends.
func (c *contextApps) open(ctx context.Context, cfg *config.Config) (root.Options, error) {
	log := c.log
	if cfg.ContextName != "" {
		log = log.With("context", cfg.ContextName)
	}
	a, err := newApp(ctx, cfg, log)
	if err != nil {
		return root.Options{}, err
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		a.Close()
		return root.Options{}, errClosed
	}
	// Started under mu, so close cannot miss it.
	a.Start(c.ctx)
	a.RunPoller(c.ctx)
	snapshots, unsubscribe := a.Poller.Hub().Subscribe()
	c.apps = append(c.apps, a)
	c.unsubs = append(c.unsubs, unsubscribe, rememberModels(c.ctx, a, completionFile(cfg.ContextName, c.d.demo), log))
	c.mu.Unlock()

	role := config.RoleOperator
	if cfg.ReadOnly {
		role = config.RoleViewer
	}
	host := c.d.context
	if cfg.ContextName != "" {
		host = prometheusHost(cfg)
	}
	j := judge.FromConfig(cfg)
	return root.Options{
		Snapshots: snapshots, Theme: cfg.Theme, NoColor: c.noColor,
		ReadOnly: cfg.ReadOnly, User: currentUser(), Role: role, Refresh: cfg.Refresh,
		Thresholds:   j.Thresholds,
		Comparisons:  j.Comparisons,
		Range:        c.d.rng,
		History:      a.History,
		DriftHistory: a.DriftHistory,
		Served:       a.ServedHistory(),
		Events:       a.Events,
		Actions:      a.Actions,
		Context:      host,
		// A config chosen for one context names it on the status line,
		// with or without the others to switch to.
		ContextName:  cfg.ContextName,
		ContextColor: cfg.ContextColor,
		LookBack:     a.LookBack(),
	}, nil
}

// close unsubscribes (ending the UIs' pending reads) and waits for every
// poller and engine to stop; the dashboard's context is cancelled first.
func (c *contextApps) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, u := range c.unsubs {
		u()
	}
	for _, a := range c.apps {
		a.Close()
	}
	c.apps, c.unsubs, c.closed = nil, nil, true
}

// startContext is the context a dashboard opens on: the one the config
// was chosen for (--context), else current_context, else the first.
func startContext(cfg *config.Config) (config.Context, error) {
	want := cfg.ContextName
	if want == "" {
		want = cfg.CurrentContext
	}
	if want == "" {
		return cfg.Contexts[0], nil
	}
	for _, c := range cfg.Contexts {
		if c.Name == want {
			return c, nil
		}
	}
	return config.Context{}, fmt.Errorf("no context named %q in the config", want)
}

// switcher is the dashboard over the config's contexts: the starting
// one's poller runs now, the others' when first shown.
func (c *contextApps) switcher(cfg *config.Config) (*contexts.Model, error) {
	first, err := startContext(cfg)
	if err != nil {
		return nil, err
	}
	firstOpts, err := c.open(c.ctx, c.d.every.over(chosenConfig(cfg, first)))
	if err != nil {
		return nil, fmt.Errorf("context %s: %w", first.Name, err)
	}
	byName := map[string]config.Context{}
	for _, ctx := range cfg.Contexts {
		byName[ctx.Name] = ctx
	}
	return contexts.New(contexts.Options{
		Contexts: cfg.Contexts, Current: first.Name, First: firstOpts, Done: c.ctx,
		Open: func(ctx context.Context, name string) (root.Options, error) {
			cc, ok := byName[name]
			if !ok {
				return root.Options{}, fmt.Errorf("no context named %q in the config", name)
			}
			// The flags that hold everywhere (--read-only above all) are
			// laid over each context opened, not only the first.
			return c.open(ctx, c.d.every.over(contextConfig(cc)))
		},
	}), nil
}

// chosenConfig is the starting context's config: the one loaded for it
// (with the command line's flags laid over it) when cfg is that context's,
// else the context's own.
func chosenConfig(cfg *config.Config, first config.Context) *config.Config {
	if cfg.ContextName == first.Name {
		return cfg
	}
	return contextConfig(first)
}

// contextConfig is the config a context runs with, its name and colour set.
func contextConfig(ctx config.Context) *config.Config {
	cfg := ctx.Config
	if cfg.ContextName == "" {
		c := *cfg
		c.ContextName, c.ContextColor = ctx.Name, ctx.Color
		cfg = &c
	}
	return cfg
}
