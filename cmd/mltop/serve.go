package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	charmlog "charm.land/log/v2"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/selfmetrics"
	"github.com/mltop/mltop/internal/sshserve"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/internal/verdictapi"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/ui/root"
)

// shutdownGrace is how long a shutdown waits for sessions to close after
// telling them; then their connections are cut.
const shutdownGrace = 10 * time.Second

// serveFlags are the flags of mltop serve.
type serveFlags struct {
	globalFlags
	listen        string
	demo          bool
	metricsListen string
	httpOnly      bool
}

// cmdServe serves the dashboard over SSH: one poller, a dashboard per
// session, users and roles from serve.users.
func cmdServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", stderr)
	var f serveFlags
	f.register(fs)
	fs.StringVar(&f.listen, "listen", "", "SSH address HOST:PORT (default serve.listen, 127.0.0.1:2222)")
	fs.BoolVar(&f.demo, "demo", false, "serve the built-in demo fleet; users and keys still come from the config file")
	fs.StringVar(&f.metricsListen, "metrics-listen", "", "also serve over HTTP at ADDR: mltop's own metrics (/metrics)\nand verdicts for rollout controllers (/v1/verdict)")
	fs.BoolVar(&f.httpOnly, "http-only", false, "serve only the HTTP listener of --metrics-listen: no SSH server, no users needed")
	if err := parseArgs(fs, args, stdout); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		termsafe.Fprintf(stderr, "mltop serve: unexpected argument %q\n", fs.Arg(0))
		return exitFailure
	}
	if f.httpOnly && f.metricsListen == "" {
		termsafe.Fprintf(stderr, "mltop serve: --http-only serves only the HTTP listener, and --metrics-listen ADDR says where: e.g. --http-only --metrics-listen 127.0.0.1:9464\n")
		return exitFailure
	}
	log, closeLog := openLog(f.logFile, stderr)
	defer closeLog()
	// wish's middleware logs through charm's logger: send it to the log file.
	charmlog.SetDefault(charmlog.New(slogWriter{log.With("component", "wish")}))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg, watched, stopDemo, code := f.config(ctx, log, stderr)
	defer stopDemo()
	if code != exitOK {
		return code
	}
	return runServe(ctx, cfg, f, watched, log, stdout, stderr)
}

// config loads the config file; with --demo the sources are the demo
// fleet's and the file gives serve, its judgement (wiring.DemoJudgement)
// and the two-person rule (actions.two_person, actions.approval_ttl).
func (f *serveFlags) config(ctx context.Context, log *slog.Logger, stderr io.Writer) (cfg *config.Config, watched string, stop func(), code int) {
	stop = func() {}
	file, found, err := f.loadConfig(stderr)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return nil, "", stop, exitFailure
	}
	if f.demo {
		fl, err := demo.Start(ctx, demo.Options{Seed: 1, Logger: log.With("component", "demo")})
		if err != nil {
			termsafe.Fprintf(stderr, "mltop: start demo fleet: %v\n", err)
			return nil, "", stop, exitFailure
		}
		stop = func() { _ = fl.Close() }
		cfg = wiring.DemoConfig(fl)
		wiring.DemoJudgement(cfg, file)
		cfg.Serve = file.Serve
		// Who must agree to an action is the server's rule, as who may connect is.
		cfg.Actions.TwoPerson, cfg.Actions.ApprovalTTL = file.Actions.TwoPerson, file.Actions.ApprovalTTL
		if err := f.apply(cfg); err != nil {
			termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
			return nil, "", stop, exitFailure
		}
		watched = "demo"
	} else {
		if !found {
			_ = termsafe.WriteText(stderr, noConfigHelp)
			return nil, "", stop, exitNoConfig
		}
		cfg, watched = file, prometheusHost(file)
	}
	if f.listen != "" {
		cfg.Serve.Listen = f.listen
	}
	if len(cfg.Serve.Users) == 0 && !f.httpOnly {
		_ = termsafe.WriteText(stderr, noUsersHelp)
		return nil, "", stop, exitFailure
	}
	return cfg, watched, stop, exitOK
}

const noUsersHelp = `mltop serve: nobody may connect: list users and their public keys in the config file, e.g.

  serve:
    users:
      - {name: ana, role: operator, keys: ["ssh-ed25519 AAAA... ana@laptop"]}
      - {name: sre-team, role: viewer, authorized_keys: /etc/mltop/viewers.keys}

See "Serving a team over SSH" in the README and the serve section of docs/config.md.
`

// runServe starts the sources, the poller and the SSH server, and serves
// until SIGINT or SIGTERM; then it tells the sessions and waits for them.
func runServe(ctx context.Context, cfg *config.Config, f serveFlags, watched string, log *slog.Logger, stdout, stderr io.Writer) int {
	if f.httpOnly {
		return runHTTPOnly(ctx, cfg, f, log, stdout, stderr)
	}
	if _, err := root.ResolveTheme(cfg.Theme, false, true); err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	hk, err := sshserve.LoadOrCreateHostKey(cfg.Serve.HostKey)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop serve: %v\n", err)
		return exitFailure
	}
	all := cfg
	cfg, firstContext, err := serverConfig(all)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop serve: %v\n", err)
		return exitFailure
	}
	if firstContext != "" {
		watched = prometheusHost(cfg)
	}
	// No prometheus.profile written: the server says which exporters it holds.
	cfg = wiring.Detect(ctx, cfg, log)
	a, err := wiring.New(cfg, log)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	runCtx, stopRun := context.WithCancel(ctx)
	// Every context's poller stops with runCtx, and close waits for them.
	ctxs := &serveContexts{ctx: runCtx, log: log, cfg: all, first: firstContext, every: f.everyContext()}
	defer func() {
		stopRun()
		ctxs.close()
	}()
	var newModel func(*sshserve.Session) tea.Model
	if firstContext != "" {
		newModel = ctxs.model
	}
	metrics := selfmetrics.New(selfmetrics.Options{Stats: a.Poller.Stats, Latest: a.Poller.Hub().Latest})
	srv, err := sshserve.New(sshserve.Options{
		HostKey: hk, Users: cfg.Serve.Users, MaxSessions: cfg.Serve.MaxSessions, IdleTimeout: cfg.Serve.IdleTimeout,
		Hub: a.Poller.Hub(), Actions: a.Actions, Metrics: metrics, Logger: log.With("component", "ssh"),
		NewModel: newModel,
		UI: root.Options{
			Theme: cfg.Theme, ReadOnly: cfg.ReadOnly, Refresh: cfg.Refresh,
			Thresholds:   judge.FromConfig(cfg).Thresholds,
			Comparisons:  judge.FromConfig(cfg).Comparisons,
			History:      a.History,
			DriftHistory: a.DriftHistory,
			Served:       a.ServedHistory(),
			Events:       a.Events,
			Context:      watched,
			ContextName:  cfg.ContextName,
			ContextColor: cfg.ContextColor,
			LookBack:     a.LookBack(),
		},
	})
	if err != nil {
		termsafe.Fprintf(stderr, "mltop serve: %v\n", err)
		return exitFailure
	}
	ln, err := net.Listen("tcp", cfg.Serve.Listen)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop serve: %v\n", err)
		return exitFailure
	}
	var mln net.Listener
	if f.metricsListen != "" {
		if mln, err = net.Listen("tcp", f.metricsListen); err != nil {
			_ = ln.Close()
			termsafe.Fprintf(stderr, "mltop serve: metrics: %v\n", err)
			return exitFailure
		}
	}

	a.Start(runCtx)
	a.RunPoller(runCtx)
	var bg sync.WaitGroup
	bg.Go(func() { metrics.Watch(runCtx, a.Poller.Hub()) })
	// The poller stops with runCtx, and Close waits for it: cancel first.
	defer func() {
		stopRun()
		bg.Wait()
		a.Close()
	}()
	if mln != nil {
		serveHTTP(runCtx, &bg, mln, httpMux(metrics, a.Poller.Hub().Latest, verdictJudge(cfg), log), log)
	}

	signals, stopSignals := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	printServing(stdout, ln.Addr().String(), hk, len(cfg.Serve.Users), mln, logPath(f.logFile))
	log.Info("serving", "listen", ln.Addr().String(), "host_key", hk.Fingerprint, "users", len(cfg.Serve.Users))

	select {
	case err := <-served:
		termsafe.Fprintf(stderr, "mltop serve: %v\n", err)
		return exitFailure
	case <-signals.Done():
	}
	// A second signal ends the process at once.
	stopSignals()
	n := len(srv.Sessions())
	termsafe.Fprintf(stdout, "mltop serve: shutting down; telling %d open session(s)\n", n)
	log.Info("shutting down", "sessions", n)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("shutdown", "err", err)
		termsafe.Fprintf(stderr, "mltop serve: %v\n", err)
	}
	if err := <-served; err != nil {
		log.Error("ssh server", "err", err)
	}
	return exitOK
}

func printServing(w io.Writer, addr string, hk sshserve.HostKey, users int, mln net.Listener, logPath string) {
	host, port, _ := net.SplitHostPort(addr)
	note := ""
	if hk.Created {
		note = " (new)"
	}
	termsafe.Fprintf(w, "mltop serve: listening on %s for %d user(s)\n", addr, users)
	termsafe.Fprintf(w, "  host key: %s%s\n", hk.Fingerprint, note)
	termsafe.Fprintf(w, "  connect:  ssh -p %s %s\n", port, host)
	if mln != nil {
		termsafe.Fprintf(w, "  metrics:  http://%s/metrics\n", mln.Addr())
		termsafe.Fprintf(w, "  verdicts: http://%s%s?model=M\n", mln.Addr(), verdictapi.Path)
	}
	if logPath != "" && logPath != "-" {
		termsafe.Fprintf(w, "  logs:     %s\n", logPath)
	}
}

// slogWriter turns lines written by another logger into log records.
type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	if msg := strings.TrimSpace(string(p)); msg != "" {
		w.log.Warn(msg)
	}
	return len(p), nil
}
