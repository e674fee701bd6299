package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/mltop/mltop/internal/app"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/fleet"
)

// oneShot holds the flags of the commands that poll once and print.
type oneShot struct {
	common
	demo bool
	seed int64
	wait time.Duration
}

func (o *oneShot) register(fs *flag.FlagSet) {
	o.common.register(fs)
	fs.BoolVar(&o.demo, "demo", false, "run against the built-in demo fleet")
	fs.Int64Var(&o.seed, "seed", 1, "demo: random seed")
	fs.DurationVar(&o.wait, "wait", 0, "how long to wait for data at most (default: the rate window, when mltop scrapes itself)")
}

// poll starts the configured (or demo) sources, waits for a complete first
// snapshot and stops everything again. code is non-zero when it could not
// start; the message has been written to stderr.
func (o *oneShot) poll(ctx context.Context, log *slog.Logger, stderr io.Writer) (snap fleet.Snapshot, code int) {
	var cfg *config.Config
	if o.demo {
		f, err := demo.Start(ctx, demo.Options{Seed: o.seed, Logger: log.With("component", "demo")})
		if err != nil {
			fmt.Fprintf(stderr, "mltop: start demo fleet: %v\n", err)
			return snap, exitFailure
		}
		defer func() { _ = f.Close() }()
		cfg = app.DemoConfig(f)
		if err := o.apply(cfg); err != nil {
			fmt.Fprintf(stderr, "mltop: %v\n", err)
			return snap, exitFailure
		}
	} else {
		var found bool
		var err error
		if cfg, found, err = o.loadConfig(); err != nil {
			fmt.Fprintf(stderr, "mltop: %v\n", err)
			return snap, exitFailure
		}
		if !found {
			fmt.Fprint(stderr, noConfigHelp)
			return snap, exitNoConfig
		}
	}
	a, err := app.New(cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "mltop: %v\n", err)
		return snap, exitFailure
	}
	a.Start(ctx)
	defer a.Close()
	limit := o.wait
	if limit == 0 {
		limit = a.WarmUp() + 15*time.Second
	}
	if w := a.WarmUp(); w > 5*time.Second && limit > w {
		fmt.Fprintf(stderr, "mltop: scraping for %s so that rates cover their whole window...\n", w.Round(time.Second))
	}
	wctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	return a.FirstSnapshot(wctx), exitOK
}
