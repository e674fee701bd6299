package main

import (
	"context"
	"io"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/internal/wiring"
)

// cmdDemo runs the dashboard against the built-in simulated fleet.
func cmdDemo(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("demo", stderr)
	var c globalFlags
	var ui uiFlags
	c.register(fs)
	ui.register(fs)
	speed := fs.Float64("speed", demo.DefaultSpeed, "story time per real time (60 plays a day of label lag in 24 minutes)")
	seed := fs.Int64("seed", 1, "random seed: the same seed plays the same stories")
	if err := parseArgs(fs, args, stdout); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		termsafe.Fprintf(stderr, "mltop demo: unexpected argument %q\n", fs.Arg(0))
		return exitFailure
	}
	if *speed <= 0 {
		termsafe.Fprintf(stderr, "mltop demo: --speed must be a positive number, not %v\n", *speed)
		return exitFailure
	}
	// Only a file named on the command line: the demo must not pick up a
	// production config's judgement unasked.
	var file *config.Config
	if c.configPath != "" {
		var err error
		if file, err = demoJudgement(c.configPath); err != nil {
			termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
			return exitFailure
		}
	}
	if !needTerminal(stderr) {
		return exitFailure
	}
	log, closeLog := openLog(c.logFile, stderr)
	defer closeLog()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f, err := demo.Start(ctx, demo.Options{Seed: *seed, Speed: *speed, Logger: log.With("component", "demo")})
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: start demo fleet: %v\n", err)
		return exitFailure
	}
	defer func() { _ = f.Close() }()
	cfg := wiring.DemoConfig(f)
	if file != nil {
		wiring.DemoJudgement(cfg, file)
	}
	if err := c.apply(cfg); err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	return runDashboard(ctx, cfg, dashboard{context: "demo", demo: true, ui: ui, logPath: logPath(c.logFile),
		// The demo starts with no history: 15m graphs fill within a minute.
		rng: 15 * time.Minute}, log, stderr)
}

// demoJudgement is the config whose judgement (thresholds, drift, theme,
// ...) the demo takes from the file at path: its current context's, as
// every other command would use. --context is refused with the demo.
func demoJudgement(path string) (*config.Config, error) {
	file, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	return file.ForContext("")
}
