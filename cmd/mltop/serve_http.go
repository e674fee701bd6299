package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/selfmetrics"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/internal/verdictapi"
	"github.com/mltop/mltop/internal/wiring"
)

// The HTTP listener's bounds: a client that sends its request slowly, or
// reads the answer slowly, or idles, is cut off rather than holding a
// connection (and a goroutine) open.
const (
	httpReadHeaderTimeout = 5 * time.Second
	httpReadTimeout       = 10 * time.Second
	httpWriteTimeout      = 10 * time.Second
	httpIdleTimeout       = 60 * time.Second
	httpMaxHeaderBytes    = 16 << 10
	httpShutdownGrace     = 5 * time.Second
)

// httpMux serves mltop's own metrics and the verdicts, both from what the
// poller already has: a request never queries a source.
func httpMux(m *selfmetrics.Metrics, latest func() (fleet.Snapshot, bool), judge report.VerdictJudge, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	// Every method reaches the handler, so that a wrong one is told so in
	// JSON (405), as every other answer there is.
	mux.Handle(verdictapi.Path, verdictapi.Handler(verdictapi.Options{Latest: latest, Judge: judge, Logger: log.With("component", "verdict")}))
	return mux
}

// serveHTTP serves h on ln until ctx ends, then shuts the server down;
// both run on bg.
func serveHTTP(ctx context.Context, bg *sync.WaitGroup, ln net.Listener, h http.Handler, log *slog.Logger) {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: httpReadHeaderTimeout,
		ReadTimeout:       httpReadTimeout,
		WriteTimeout:      httpWriteTimeout,
		IdleTimeout:       httpIdleTimeout,
		MaxHeaderBytes:    httpMaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	bg.Go(func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server stopped", "err", err)
		}
	})
	bg.Go(func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), httpShutdownGrace)
		defer cancel()
		_ = hs.Shutdown(sctx)
	})
}

// runHTTPOnly is mltop serve --http-only: the poller and the HTTP
// listener (/metrics, /v1/verdict), no SSH server, for rollout
// controllers. It serves until SIGINT or SIGTERM.
func runHTTPOnly(ctx context.Context, cfg *config.Config, f serveFlags, log *slog.Logger, stdout, stderr io.Writer) int {
	// No prometheus.profile written: the server says which exporters it holds.
	cfg = wiring.Detect(ctx, cfg, log)
	a, err := wiring.New(cfg, log)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	ln, err := net.Listen("tcp", f.metricsListen)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop serve: metrics: %v\n", err)
		return exitFailure
	}
	metrics := selfmetrics.New(selfmetrics.Options{Stats: a.Poller.Stats, Latest: a.Poller.Hub().Latest})
	runCtx, stopRun := context.WithCancel(ctx)
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
	serveHTTP(runCtx, &bg, ln, httpMux(metrics, a.Poller.Hub().Latest, verdictJudge(cfg), log), log)

	signals, stopSignals := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	addr := ln.Addr().String()
	termsafe.Fprintf(stdout, "mltop serve: HTTP only on %s (no SSH)\n", addr)
	termsafe.Fprintf(stdout, "  metrics:  http://%s/metrics\n", addr)
	termsafe.Fprintf(stdout, "  verdicts: http://%s%s?model=M\n", addr, verdictapi.Path)
	if p := logPath(f.logFile); p != "" && p != "-" {
		termsafe.Fprintf(stdout, "  logs:     %s\n", p)
	}
	log.Info("serving HTTP only", "listen", addr)
	<-signals.Done()
	stopSignals()
	termsafe.Fprintf(stdout, "mltop serve: shutting down\n")
	log.Info("shutting down")
	return exitOK
}
