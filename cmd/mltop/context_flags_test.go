package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/ui/contexts"
	"github.com/mltop/mltop/ui/root"
)

// mltop --read-only turns actions off in every context, also one
// switched to later: there an action key is refused, nothing planned.
func TestReadOnlyFlagHoldsInEveryContext(t *testing.T) {
	t.Parallel()
	retrain := "actions:\n  retrain:\n    kind: webhook\n    url: http://127.0.0.1:1/hook\n"
	tc := startTwoContextsWith(t, map[string]string{"prod": retrain, "staging": retrain}, everyContext{readOnly: true})
	d := tc.D
	tc.ctx("staging", "staging")
	tc.waitFleet("staging")
	if !strings.Contains(statusLine(d.Plain()), "READ-ONLY") {
		t.Fatalf("staging's status line under --read-only: %q", statusLine(d.Plain()))
	}
	d.Keys("T")
	d.Until("staging refuses", 10*time.Second, func() bool { return d.Shows("actions are disabled") })
	if model, _ := tc.Switcher.Root("staging").ActionDialog(); model != "" {
		t.Fatalf("--read-only: staging opened a plan for %s", model)
	}
}

// The flags that hold everywhere are laid over a copy of a context's
// config; --prometheus and --mlflow, one server's, are not among them.
func TestEveryContextFlags(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(p, []byte("contexts:\n  prod:\n    prometheus: {url: http://127.0.0.1:1}\n  staging:\n    prometheus: {url: http://127.0.0.1:2}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	g := &globalFlags{configPath: p, readOnly: true, refresh: 7 * time.Second, theme: "light", prometheus: "http://127.0.0.1:3"}
	cfg, _, err := g.loadConfig(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	staging := cfg.Contexts[1]
	got := g.everyContext().over(contextConfig(staging))
	if !got.ReadOnly || got.Refresh != 7*time.Second || got.Theme != "light" {
		t.Errorf("staging with the flags: read_only %v, refresh %s, theme %q", got.ReadOnly, got.Refresh, got.Theme)
	}
	if got.Prometheus.URL != "http://127.0.0.1:2" {
		t.Errorf("staging runs on %s: --prometheus names the starting context's server only", got.Prometheus.URL)
	}
	if staging.Config.ReadOnly || staging.Config.Theme == "light" {
		t.Error("the flags changed the context's config as loaded")
	}
}

// twoConfigContexts are prod and staging on unreachable servers: they
// start (nothing connects until a poll) and poll in vain.
func twoConfigContexts() []config.Context {
	var out []config.Context
	for i, name := range []string{"prod", "staging"} {
		c := config.Default()
		c.ContextName, c.Refresh = name, time.Hour
		c.Prometheus.URL = "http://127.0.0.1:" + string(rune('1'+i))
		out = append(out, config.Context{Name: name, Config: c})
	}
	return out
}

// A context whose start ends after the dashboard did is stopped, not
// left polling; a start whose time is up gives up.
func TestContextOpenedAfterTheEnd(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	apps := &contextApps{ctx: ctx, log: slog.New(slog.DiscardHandler)}
	cfg := twoConfigContexts()[1].Config

	gone, stop := context.WithCancel(context.Background())
	stop()
	if _, err := apps.open(gone, cfg); !errors.Is(err, context.Canceled) {
		t.Errorf("open with its time up: %v, want it cancelled", err)
	}
	cancel()
	apps.close()
	if _, err := apps.open(context.Background(), cfg); !errors.Is(err, errClosed) {
		t.Errorf("open after the dashboard ended: %v", err)
	}
	apps.mu.Lock()
	defer apps.mu.Unlock()
	if len(apps.apps) != 0 {
		t.Fatalf("%d contexts left running after the end", len(apps.apps))
	}
}

// mltop serve: a context is not started once the server stops.
func TestServeContextAfterTheEnd(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &serveContexts{ctx: ctx, log: slog.New(slog.DiscardHandler), cfg: &config.Config{Contexts: twoConfigContexts()}, first: "prod"}
	cancel()
	s.close()
	if _, err := s.app(context.Background(), s.cfg.Contexts[1]); !errors.Is(err, errServerStopping) {
		t.Fatalf("a context started while the server stops: %v", err)
	}
	if len(s.apps) != 0 {
		t.Fatalf("%d contexts left running", len(s.apps))
	}
}

// A serve user whose first context fails to start is told why, and never
// given the server's context instead (not theirs, with its actions).
func TestServeUserFirstContextFails(t *testing.T) {
	ctxs := twoConfigContexts()
	ctxs[1].Config.Prometheus.URL = "" // no source: it cannot start
	cfg := &config.Config{Contexts: ctxs, Serve: config.Serve{Users: []config.User{
		{Name: "bob", Role: config.RoleOperator, Contexts: []string{"staging"}},
	}}}
	ctx, cancel := context.WithCancel(context.Background())
	s := &serveContexts{ctx: ctx, log: slog.New(slog.DiscardHandler), cfg: cfg, first: "prod"}
	t.Cleanup(func() { cancel(); s.close() })
	base := root.Options{ContextName: "prod", User: "bob", Role: config.RoleOperator}
	m := s.modelFor(ctx, "bob", base, nil)
	none, ok := m.(contexts.None)
	if !ok {
		t.Fatalf("bob's dashboard is a %T, want one that says staging did not start", m)
	}
	if !strings.Contains(none.Why, "staging failed to start") || !strings.Contains(none.Why, "nothing to watch") {
		t.Fatalf("bob is told %q", none.Why)
	}
}
