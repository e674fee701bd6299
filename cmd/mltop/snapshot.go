package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/mltop/mltop/internal/app"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/report"
)

func cmdSnapshot(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("snapshot", stderr)
	var c common
	c.register(fs)
	format := fs.String("format", "json", "json or table")
	useDemo := fs.Bool("demo", false, "run against the built-in demo fleet")
	wait := fs.Duration("wait", 0, "how long to wait for data at most (default: the rate window, when mltop scrapes itself)")
	seed := fs.Int64("seed", 1, "demo: random seed")
	if err := fs.Parse(args); err != nil {
		return exitFailure
	}
	if *format != "json" && *format != "table" {
		fmt.Fprintf(stderr, "mltop snapshot: --format must be json or table, not %q\n", *format)
		return exitFailure
	}
	log, closeLog := openLog(c.logFile, stderr)
	defer closeLog()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	var cfg *config.Config
	if *useDemo {
		f, err := demo.Start(ctx, demo.Options{Seed: *seed, Logger: log.With("component", "demo")})
		if err != nil {
			fmt.Fprintf(stderr, "mltop: start demo fleet: %v\n", err)
			return exitFailure
		}
		defer func() { _ = f.Close() }()
		cfg = app.DemoConfig(f)
		if err := c.apply(cfg); err != nil {
			fmt.Fprintf(stderr, "mltop: %v\n", err)
			return exitFailure
		}
	} else {
		var found bool
		var err error
		cfg, found, err = c.loadConfig()
		if err != nil {
			fmt.Fprintf(stderr, "mltop: %v\n", err)
			return exitFailure
		}
		if !found {
			fmt.Fprint(stderr, noConfigHelp)
			return exitNoConfig
		}
	}
	a, err := app.New(cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "mltop: %v\n", err)
		return exitFailure
	}
	a.Start(ctx)
	defer a.Close()
	limit := *wait
	if limit == 0 {
		limit = a.WarmUp() + 15*time.Second
	}
	if w := a.WarmUp(); w > 5*time.Second && limit > w {
		fmt.Fprintf(stderr, "mltop: scraping for %s so that rates cover their whole window...\n", w.Round(time.Second))
	}
	wctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	snap := a.FirstSnapshot(wctx)
	if err := printSnapshot(stdout, snap, *format); err != nil {
		fmt.Fprintf(stderr, "mltop: %v\n", err)
		return exitFailure
	}
	return exitOK
}

func printSnapshot(w io.Writer, s fleet.Snapshot, format string) error {
	if format == "table" {
		return report.Table(w, s)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}
