package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/user"
	"runtime/debug"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/root"
)

// exitInterrupted is the conventional status after SIGINT.
const exitInterrupted = 130

// uiFlags are the flags of the commands that draw the dashboard.
type uiFlags struct {
	noColor bool
}

func (u *uiFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&u.noColor, "no-color", false, "no colours (also when NO_COLOR is set)")
}

func cmdDashboard(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("", stderr)
	var c globalFlags
	var ui uiFlags
	c.register(fs)
	ui.register(fs)
	if err := parseArgs(fs, args, stdout); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		termsafe.Fprintf(stderr, "mltop: unexpected argument %q\n\n", fs.Arg(0))
		_ = termsafe.WriteText(stderr, usage)
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
	if !needTerminal(stderr) {
		return exitFailure
	}
	log, closeLog := openLog(c.logFile, stderr)
	defer closeLog()
	return runDashboard(context.Background(), cfg, dashboard{context: prometheusHost(cfg), ui: ui, logPath: logPath(c.logFile),
		every: c.everyContext()}, log, stderr)
}

// dashboard is what runDashboard needs besides the config.
type dashboard struct {
	context string // shown after the app name
	ui      uiFlags
	logPath string // where stray terminal output goes while the dashboard runs
	// rng is the graph range to start with; 0 means 1h.
	rng time.Duration
	// every are the flags laid over each context opened (contexts only).
	every everyContext
	// demo: the built-in demo fleet's, whose model names completion
	// offers only with --demo.
	demo bool
}

// runDashboard starts the sources and the poller, runs the dashboard until
// the user quits, and stops everything. While the dashboard owns the
// terminal nothing else may write to it: logs go to the log file, and so
// does anything written to os.Stderr (a panic report included). The
// terminal is restored on every exit path.
func runDashboard(ctx context.Context, cfg *config.Config, d dashboard, log *slog.Logger, stderr io.Writer) int {
	noColor := d.ui.noColor || os.Getenv("NO_COLOR") != ""
	if _, err := root.ResolveTheme(cfg.Theme, noColor, true); err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	ctx, cancel := context.WithCancel(ctx)
	tuneGC(ctx)
	apps := &contextApps{ctx: ctx, log: log, d: d, noColor: noColor}
	// The pollers stop with ctx, and Close waits for them: cancel first.
	defer func() {
		cancel()
		apps.close()
	}()
	var model tea.Model
	if len(cfg.Contexts) > 0 {
		sw, err := apps.switcher(cfg)
		if err != nil {
			termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
			return exitFailure
		}
		model = sw
	} else {
		opts, err := apps.open(ctx, cfg)
		if err != nil {
			termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
			return exitFailure
		}
		model = root.New(opts)
	}
	p := tea.NewProgram(model, tea.WithContext(ctx), tea.WithFPS(root.FPS))
	return runProgram(ctx, p, log, d.logPath, stderr)
}

// runProgram runs the dashboard program and turns how it ended into an
// exit code. os.Stderr goes to the log file while it runs; a panic, in
// the program or on this goroutine, is logged there and reported in one
// line once the terminal is restored.
func runProgram(ctx context.Context, p *tea.Program, log *slog.Logger, logPath string, stderr io.Writer) (code int) {
	restoreStderr := captureStderr(logPath)
	crashed := func() int {
		termsafe.Fprintf(stderr, "mltop: internal error; details in %s\n", logPath)
		return exitFailure
	}
	defer func() {
		if r := recover(); r != nil {
			p.Kill()
			restoreStderr()
			log.Error("dashboard crashed", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			code = crashed()
		}
	}()
	_, err := p.Run()
	restoreStderr()
	writeHeapProfile(log)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, tea.ErrInterrupted):
		return exitInterrupted
	case errors.Is(err, tea.ErrProgramPanic):
		log.Error("dashboard crashed", "err", err)
		return crashed()
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return exitOK
	default:
		log.Error("dashboard stopped", "err", err)
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
}

// captureStderr points os.Stderr at the log file until the returned
// function is called. Bubble Tea reports a recovered panic on os.Stderr,
// and so might any library; on the alternate screen that text would be
// lost or garble the display.
func captureStderr(path string) (restore func()) {
	if path == "" || path == "-" {
		path = os.DevNull
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		f, err = os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return func() {}
		}
	}
	old := os.Stderr
	os.Stderr = f
	done := false
	return func() {
		if done {
			return
		}
		done = true
		os.Stderr = old
		_ = f.Close()
	}
}

// logPath is the file openLog writes to.
func logPath(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return defaultLogPath()
}

// prometheusHost names the server watched, as the status line's context.
func prometheusHost(cfg *config.Config) string {
	if cfg.Prometheus.URL == "" {
		return ""
	}
	u, err := url.Parse(cfg.Prometheus.URL)
	if err != nil {
		return ""
	}
	return u.Host
}

func currentUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}
