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
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/internal/wiring"
)

// oneShot holds the flags of the commands that poll once and print.
type oneShot struct {
	globalFlags
	demo bool
	seed int64
	wait time.Duration
	at   string // --at: a past time to look back at; "" = now
}

func (o *oneShot) register(fs *flag.FlagSet) {
	o.globalFlags.register(fs)
	fs.BoolVar(&o.demo, "demo", false, "run against the built-in demo fleet")
	fs.Int64Var(&o.seed, "seed", 1, "demo: random seed")
	fs.StringVar(&o.at, "at", "", "the fleet as it was at a past time: RFC 3339 (2026-03-04T03:00:00Z),\na UTC date and time (2026-03-04T03:00) or back from now (-1h, -1d);\nneeds a Prometheus-compatible server")
	fs.DurationVar(&o.wait, "wait", 0, "how long to wait for answers at most; a source or query still\nunanswered then is a failure (default 15s, plus the rate window when\nmltop scrapes itself)")
}

// refuseAt is the error for --at on a command that cannot look back: it
// would otherwise act, or judge, on today's fleet while told the past.
func (o *oneShot) refuseAt(command string) error {
	if o.at == "" {
		return nil
	}
	return fmt.Errorf("--at: only snapshot and check look back; mltop %s works on the fleet as it is now", command)
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
			termsafe.Fprintf(stderr, "mltop: start demo fleet: %v\n", err)
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
			termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
			return nil, stop, exitFailure
		}
	} else {
		var found bool
		var err error
		if cfg, found, err = o.loadConfig(stderr); err != nil {
			termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
			return nil, stop, exitFailure
		}
		if !found {
			_ = termsafe.WriteText(stderr, noConfigHelp)
			return nil, stop, exitNoConfig
		}
	}
	// No prometheus.profile written: the server says which exporters it
	// holds, within --wait too.
	dctx := ctx
	if o.wait > 0 {
		var cancel context.CancelFunc
		dctx, cancel = context.WithTimeout(ctx, o.wait)
		defer cancel()
	}
	cfg = wiring.Detect(dctx, cfg, log)
	a, err := wiring.New(cfg, log)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return nil, stop, exitFailure
	}
	return a, stop, exitOK
}

// defaultWait is how long a one-shot command waits for answers when
// --wait is not given (plus the rate window when mltop scrapes itself).
const defaultWait = 15 * time.Second

// poll starts the configured (or demo) sources, waits for a complete first
// snapshot and stops everything again. code is non-zero when it could not
// start; the message has been written to stderr. in says how the snapshot
// was taken, for check's verdict.
func (o *oneShot) poll(ctx context.Context, log *slog.Logger, stderr io.Writer) (snap fleet.Snapshot, in report.CheckInput, code int) {
	var at time.Time
	if o.at != "" {
		var err error
		if at, err = human.ParseAt(o.at, time.Now()); err != nil {
			termsafe.Fprintf(stderr, "mltop: --at: %v\n", termsafe.Lines(err.Error()))
			return snap, in, exitFailure
		}
	}
	a, closeSources, code := o.open(ctx, log, stderr)
	defer closeSources()
	if code != exitOK {
		return snap, in, code
	}
	if !at.IsZero() {
		return o.lookBack(ctx, a, at, stderr)
	}
	snap, in = o.takeSnapshot(ctx, a, stderr)
	rememberSnapshot(snap, completionFile(a.Config.ContextName, o.demo), log)
	return snap, in, exitOK
}

// lookBack is the snapshot of the fleet as it was at at (--at), within
// --wait.
func (o *oneShot) lookBack(ctx context.Context, a *wiring.App, at time.Time, stderr io.Writer) (fleet.Snapshot, report.CheckInput, int) {
	limit := o.wait
	if limit <= 0 {
		limit = defaultWait
	}
	defer a.Close()
	wctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	snap, err := a.SnapshotAt(wctx, at)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: look back to %s: %v\n", at.UTC().Format(time.RFC3339), termsafe.Lines(err.Error()))
		return snap, report.CheckInput{}, exitFailure
	}
	markUnanswered(&snap, fmt.Sprintf("no answer within %s; raise --wait", limit))
	return snap, report.CheckInput{Queries: queryExprs(a.Config)}, exitOK
}

// firstSnapshot starts a's sources, waits for a complete first snapshot
// (at most --wait) and stops them again.
func (o *oneShot) firstSnapshot(ctx context.Context, a *wiring.App, stderr io.Writer) fleet.Snapshot {
	snap, _ := o.takeSnapshot(ctx, a, stderr)
	return snap
}

// takeSnapshot is firstSnapshot, also saying how the snapshot was taken:
// whether the wait ended before the rate window filled, and each query's
// expression. A source or query still unanswered when the wait ends is
// given the error that says so, rather than none.
func (o *oneShot) takeSnapshot(ctx context.Context, a *wiring.App, stderr io.Writer) (fleet.Snapshot, report.CheckInput) {
	warm := a.WarmUp()
	limit := o.wait
	if limit <= 0 {
		limit = warm + defaultWait
	}
	if warm > 5*time.Second && limit > warm {
		termsafe.Fprintf(stderr, "mltop: scraping for %s so that rates cover their whole window...\n", warm.Round(time.Second))
	}
	// Taken before Start, so that the time the engine has scraped is never
	// overstated.
	began := time.Now()
	a.Start(ctx)
	defer a.Close()
	wctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	snap := a.FirstSnapshot(wctx)
	markUnanswered(&snap, fmt.Sprintf("no answer within %s; raise --wait", limit))

	in := report.CheckInput{Queries: queryExprs(a.Config)}
	if scraped := snap.TakenAt.Sub(began); warm > 0 && scraped < warm {
		in.ShortWait = fmt.Sprintf("the wait ended after %s of scraping, before the rate window filled (%s): rates read low; raise --wait or leave it unset",
			scraped.Round(100*time.Millisecond), warm.Round(100*time.Millisecond))
	}
	return snap, in
}

// markUnanswered gives every source and query that has neither answered
// nor failed the error msg: the wait ended first.
func markUnanswered(s *fleet.Snapshot, msg string) {
	for i := range s.Sources {
		if src := &s.Sources[i]; !src.OK && src.Error == "" {
			src.Error = msg
		}
	}
	for i := range s.Queries {
		if q := &s.Queries[i]; !q.OK && q.Error == "" {
			q.Error = msg
		}
	}
}

// queryExprs maps each configured query's name to its expression; nil when
// the config cannot say.
func queryExprs(cfg *config.Config) map[string]string {
	qs, err := cfg.Queries()
	if err != nil {
		return nil
	}
	out := make(map[string]string, len(qs))
	for _, q := range qs {
		out[q.Name] = q.Expr
	}
	return out
}

// runOneShot is the whole of a command that polls once and prints: it
// parses the flags (with --format, one of formats, the first the default),
// polls, and hands the snapshot to print, whose result is the exit code.
// noConfig is the exit code when there is no config at all.
func runOneShot(name string, args []string, formats []string, noConfig int, stdout, stderr io.Writer,
	print func(snap fleet.Snapshot, in report.CheckInput, format string) int) (code int) {
	fs := newFlagSet(name, stderr)
	var o oneShot
	o.register(fs)
	format := fs.String("format", formats[0], strings.Join(formats, " or "))
	if err := parseArgs(fs, args, stdout); err != nil {
		return parseFailed(err)
	}
	if !slices.Contains(formats, *format) {
		termsafe.Fprintf(stderr, "mltop %s: --format must be %s, not %q\n", name, strings.Join(formats, " or "), *format)
		return exitFailure
	}
	log, closeLog := openLog(o.logFile, stderr)
	defer closeLog()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	snap, in, code := o.poll(ctx, log, stderr)
	switch code {
	case exitOK:
		return print(snap, in, *format)
	case exitNoConfig:
		return noConfig
	}
	return code
}
