package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/wiring"
)

// oneShot holds the flags of the commands that poll once and print.
type oneShot struct {
	globalFlags
	demo bool
	seed int64
	wait time.Duration
}

func (o *oneShot) register(fs *flag.FlagSet) {
	o.globalFlags.register(fs)
	fs.BoolVar(&o.demo, "demo", false, "run against the built-in demo fleet")
	fs.Int64Var(&o.seed, "seed", 1, "demo: random seed")
	fs.DurationVar(&o.wait, "wait", 0, "how long to wait for data at most (default: the rate window, when mltop scrapes itself)")
}

// onDemoFleet, when set, is called with the demo fleet a command started,
// before the fleet stops: tests look at the simulated world through it.
var onDemoFleet func(*demo.Fleet)

// open builds the app of the configured (or demo) sources, without
// starting it. code is non-zero when it could not; the message has been
// written to stderr. stop stops the demo fleet, if any.
func (o *oneShot) open(ctx context.Context, log *slog.Logger, stderr io.Writer) (a *wiring.App, stop func(), code int) {
	stop = func() {}
	var cfg *config.Config
	if o.demo {
		f, err := demo.Start(ctx, demo.Options{Seed: o.seed, Logger: log.With("component", "demo")})
		if err != nil {
			fmt.Fprintf(stderr, "mltop: start demo fleet: %v\n", err)
			return nil, stop, exitFailure
		}
		stop = func() {
			if onDemoFleet != nil {
				onDemoFleet(f)
			}
			_ = f.Close()
		}
		cfg = wiring.DemoConfig(f)
		if err := o.apply(cfg); err != nil {
			fmt.Fprintf(stderr, "mltop: %v\n", err)
			return nil, stop, exitFailure
		}
	} else {
		var found bool
		var err error
		if cfg, found, err = o.loadConfig(); err != nil {
			fmt.Fprintf(stderr, "mltop: %v\n", err)
			return nil, stop, exitFailure
		}
		if !found {
			fmt.Fprint(stderr, noConfigHelp)
			return nil, stop, exitNoConfig
		}
	}
	a, err := wiring.New(cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "mltop: %v\n", err)
		return nil, stop, exitFailure
	}
	return a, stop, exitOK
}

// poll starts the configured (or demo) sources, waits for a complete first
// snapshot and stops everything again. code is non-zero when it could not
// start; the message has been written to stderr.
func (o *oneShot) poll(ctx context.Context, log *slog.Logger, stderr io.Writer) (snap fleet.Snapshot, code int) {
	a, closeSources, code := o.open(ctx, log, stderr)
	defer closeSources()
	if code != exitOK {
		return snap, code
	}
	return o.firstSnapshot(ctx, a, stderr), exitOK
}

// firstSnapshot starts a's sources, waits for a complete first snapshot
// (at most --wait) and stops them again.
func (o *oneShot) firstSnapshot(ctx context.Context, a *wiring.App, stderr io.Writer) fleet.Snapshot {
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
	return a.FirstSnapshot(wctx)
}

// runOneShot is the whole of a command that polls once and prints: it
// parses the flags (with --format, one of formats, the first the default),
// polls, and hands the snapshot to print, whose result is the exit code.
// noConfig is the exit code when there is no config at all.
func runOneShot(name string, args []string, formats []string, noConfig int, stderr io.Writer,
	print func(snap fleet.Snapshot, format string) int) (code int) {
	fs := newFlagSet(name, stderr)
	var o oneShot
	o.register(fs)
	format := fs.String("format", formats[0], strings.Join(formats, " or "))
	if err := fs.Parse(args); err != nil {
		return exitFailure
	}
	if !slices.Contains(formats, *format) {
		fmt.Fprintf(stderr, "mltop %s: --format must be %s, not %q\n", name, strings.Join(formats, " or "), *format)
		return exitFailure
	}
	log, closeLog := openLog(o.logFile, stderr)
	defer closeLog()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	snap, code := o.poll(ctx, log, stderr)
	switch code {
	case exitOK:
		return print(snap, *format)
	case exitNoConfig:
		return noConfig
	}
	return code
}
