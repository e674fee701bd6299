package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mltop/mltop/internal/auditreport"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/registryhistory"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/sources/mlflow"
)

// cmdReport prints the record of a period for a model-risk review
// (docs/report.md). Sections that cannot be read are reported as
// unknown, with why; the command fails only on bad usage or config.
func cmdReport(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("report", stderr)
	var c globalFlags
	c.register(fs)
	since := fs.String("since", "90d", "the period: this long back (90d, 720h) or since this time (RFC 3339)")
	format := fs.String("format", "md", "md (Markdown) or json")
	model := fs.String("model", "", "only this model (its registered name)")
	if err := parseArgs(fs, args, stdout); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		termsafe.Fprintf(stderr, "mltop report: unexpected argument %q\n", fs.Arg(0))
		return exitFailure
	}
	if *format != "md" && *format != "json" {
		termsafe.Fprintf(stderr, "mltop report: --format must be md or json, not %q\n", *format)
		return exitFailure
	}
	now := time.Now()
	from, err := parseSince(*since, now)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop report: --since: %v\n", err)
		return exitFailure
	}
	cfg, found, err := c.loadConfig(stderr)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	if !found {
		_ = termsafe.WriteText(stderr, noConfigHelp)
		return exitNoConfig
	}
	log, closeLog := openLog(c.logFile, stderr)
	defer closeLog()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	in, closeApp, err := reportInputs(ctx, cfg, log)
	defer closeApp()
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	r := auditreport.Build(ctx, in, auditreport.Options{From: from, To: now, Model: *model}, now)
	write := auditreport.WriteMarkdown
	if *format == "json" {
		write = auditreport.WriteJSON
	}
	if err := write(stdout, r); err != nil {
		termsafe.Fprintf(stderr, "mltop: write the report: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// reportInputs builds the sources the report reads: the metrics server,
// the rule evaluator, the registry (read once, for quality's baselines),
// the audit log and the registry history. A source that is not configured
// leaves its sections unknown; only a config that cannot be built fails.
func reportInputs(ctx context.Context, cfg *config.Config, log *slog.Logger) (auditreport.Inputs, func(), error) {
	in := auditreport.Inputs{
		AuditPath: cfg.Audit.Path,
		// A shared log: this context's actions only.
		AuditContext: cfg.ContextName,
		Judge:        judge.FromConfig(cfg),
		ModelNames:   cfg.MLflow.ModelNames,
		Timeout:      cfg.Prometheus.Timeout,
		MinStep:      15 * time.Second,
		Queries:      map[fleet.Role]string{},
	}
	in.Registry, in.RegistryMissing = openReportHistory(cfg)
	// No prometheus.profile written: the server says which exporters it holds.
	cfg = wiring.Detect(ctx, cfg, log)
	qs, err := cfg.Queries()
	if err != nil {
		return in, func() {}, err
	}
	for _, q := range qs {
		in.Queries[fleet.Role(q.Role)] = q.Expr
	}
	a, err := wiring.New(cfg, log)
	if errors.Is(err, wiring.ErrNoSources) {
		in.MetricsMissing = "no Prometheus-compatible server is configured (prometheus.url)"
		in.ServedMissing = in.MetricsMissing
		in.CurrentMissing = "no MLflow registry is configured: no offline baselines to compare with"
		return in, func() {}, nil
	}
	if err != nil {
		return in, func() {}, err
	}
	if rq, ok := a.Metrics.(auditreport.RangeQuerier); ok && cfg.Prometheus.URL != "" {
		in.Metrics = rq
	} else {
		in.MetricsMissing = "the metrics source keeps no history (the built-in engine remembers only since it started): set prometheus.url"
	}
	if a.AlertReader != nil {
		in.Rules = a.AlertReader
	}
	in.Served, in.ServedMissing = servedHistory(a)
	if a.MLflow != nil {
		// One registry read: the versions' offline baselines. Not through
		// the poller, so that a report records nothing in the history.
		rctx, cancel := context.WithTimeout(ctx, in.Timeout+30*time.Second)
		reg, err := mlflow.NewSource(a.MLflow, mlflow.SourceOptions{Logger: log.With("source", "mlflow")}).Registry(rctx)
		cancel()
		if err != nil {
			in.CurrentMissing = "the registry could not be read (no offline baselines to compare with): " + err.Error()
		} else {
			in.Current = &reg
		}
	} else {
		in.CurrentMissing = "no MLflow registry is configured: no offline baselines to compare with"
	}
	return in, a.Close, nil
}

// servedHistory is which versions served when, from the traffic's range
// query; without one the section says why.
func servedHistory(a *wiring.App) (auditreport.ServedHistory, string) {
	if a.Served == nil {
		return nil, "no serving history: the metrics source answers no range queries, or no request_rate query is configured"
	}
	return a.Served, ""
}

// openReportHistory opens the registry history file; missing, it says
// why no alias history is known.
func openReportHistory(cfg *config.Config) (auditreport.RegistryHistory, string) {
	path := wiring.RegistryHistoryPath(cfg)
	if path == "" {
		return nil, "no audit.path or audit.registry_history is configured"
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Sprintf("no registry history at %s: mltop records it while it polls an MLflow registry", path)
	}
	h, err := registryhistory.Open(path)
	if err != nil {
		return nil, err.Error()
	}
	return h, ""
}
