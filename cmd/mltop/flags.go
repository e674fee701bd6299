package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
)

// globalFlags holds the flags every sub-command shares.
type globalFlags struct {
	configPath string
	prometheus string
	mlflow     string
	refresh    time.Duration
	logFile    string
	readOnly   bool
	theme      string
	context    string
}

func (c *globalFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.configPath, "config", "", "config file")
	fs.StringVar(&c.prometheus, "prometheus", "", "Prometheus-compatible server URL")
	fs.StringVar(&c.mlflow, "mlflow", "", "MLflow tracking server URL")
	fs.DurationVar(&c.refresh, "refresh", 0, "poll interval")
	fs.StringVar(&c.logFile, "log-file", "", "log file (- discards logs)")
	fs.BoolVar(&c.readOnly, "read-only", false, "disable every action")
	fs.StringVar(&c.theme, "theme", "", "colour theme")
	fs.StringVar(&c.context, "context", "", "the config's context to use")
}

// globalFlagText is how --help explains each global flag: its argument
// and what it does, in more words than the flag set's one-liners.
var globalFlagText = map[string][2]string{
	"config":     {"FILE", "config file (else $MLTOP_CONFIG, else $XDG_CONFIG_HOME/mltop/config.yaml)"},
	"prometheus": {"URL", "a Prometheus-compatible server (overrides the config)"},
	"mlflow":     {"URL", "an MLflow tracking server (overrides the config and $MLFLOW_TRACKING_URI)"},
	"refresh":    {"DURATION", "poll interval (default 5s, at least 1s)"},
	"log-file":   {"FILE", "where logs go (default $XDG_STATE_HOME/mltop/mltop.log; - discards them)"},
	"read-only":  {"", "disable every action (rollback, retrain, custom actions)"},
	"theme":      {"NAME", "auto, dark, light, high-contrast, colorblind or no-color (default auto)"},
	"no-color":   {"", "no colours, also when NO_COLOR is set (dashboard and demo; ctrl+t toggles)"},
	"context":    {"NAME", "the config file's context to use (default current_context, else the first written)"},
}

// globalFlagsHelp lists the flags every command shares and the
// dashboard's own, from the flag sets themselves.
func globalFlagsHelp() string {
	fs := flag.NewFlagSet("mltop", flag.ContinueOnError)
	var g globalFlags
	var u uiFlags
	g.register(fs)
	u.register(fs)
	var b strings.Builder
	b.WriteString("Flags (where they make sense):\n")
	fs.VisitAll(func(f *flag.Flag) {
		text, ok := globalFlagText[f.Name]
		if !ok {
			text[1] = f.Usage
		}
		fmt.Fprintf(&b, "  %-20s %s\n", strings.TrimSpace("--"+f.Name+" "+text[0]), text[1])
	})
	return b.String()
}

// parseArgs parses args into fs. Help asked for (-h, --help) is printed to
// stdout and gives flag.ErrHelp, which is exit 0 (see parseFailed); a bad
// flag is reported on the flag set's output, stderr, with where to find
// the command's help. Handed a flagProbe as stdout, it gives the probe fs
// and parses nothing.
func parseArgs(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	if p, ok := stdout.(*flagProbe); ok {
		p.fs = fs
		return flag.ErrHelp
	}
	out := fs.Output()
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	fs.Usage = func() {} // the help is printed below, from the command's definition
	err := fs.Parse(args)
	fs.SetOutput(out)
	path := strings.Fields(strings.TrimPrefix(fs.Name(), "mltop"))
	switch {
	case errors.Is(err, flag.ErrHelp):
		text, _ := commandHelp(path)
		_ = termsafe.WriteText(stdout, text)
	case err != nil:
		_, _ = buf.WriteTo(out)
		termsafe.Fprintf(out, "Run '%s --help' for its flags.\n", strings.Join(append([]string{"mltop"}, path...), " "))
	}
	return err
}

// parseFailed is the exit code after parseArgs failed: 0 when help was
// asked for, 2 for a bad flag.
func parseFailed(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitFailure
}

// newFlagSet makes a flag set whose errors go to stderr.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("mltop "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// loadConfig finds and loads the config file, then applies flag overrides.
// found is false when no file exists and no flag names a source. What was
// ignored while loading is written to warn, one "mltop: warning:" line each.
func (c *globalFlags) loadConfig(warn io.Writer) (cfg *config.Config, found bool, err error) {
	path, ok, err := config.Resolve(c.configPath, os.Getenv)
	if err != nil {
		return nil, false, err
	}
	if ok {
		cfg, err = config.Load(path)
		if err != nil {
			return nil, true, err
		}
	} else {
		cfg = config.Default()
	}
	if !ok && c.context != "" {
		return nil, false, fmt.Errorf("--context %s: no config file found; contexts are defined in one (see docs/config.md)", c.context)
	}
	// The flags below lay over the context chosen, as over a file.
	if cfg, err = cfg.ForContext(c.context); err != nil {
		return nil, ok, fmt.Errorf("--context: %w", err)
	}
	if err := c.apply(cfg); err != nil {
		return nil, ok, err
	}
	if c.mlflow == "" { // --mlflow replaces whatever the environment said
		for _, w := range cfg.Warnings() {
			termsafe.Fprintf(warn, "mltop: warning: %s\n", w)
		}
	}
	found = ok || c.prometheus != "" || c.mlflow != ""
	return cfg, found, nil
}

// apply lays the flags over a config.
func (c *globalFlags) apply(cfg *config.Config) error {
	if c.context != "" && cfg.ContextName != c.context {
		// The demo's fleet, built in code, has no contexts.
		return fmt.Errorf("--context %s: the demo fleet has no contexts", c.context)
	}
	if c.prometheus != "" {
		if err := config.CheckHTTPURL(c.prometheus); err != nil {
			return fmt.Errorf("--prometheus: %w", err)
		}
		cfg.Prometheus.URL = c.prometheus
	}
	if c.mlflow != "" {
		if err := config.CheckHTTPURL(c.mlflow); err != nil {
			return fmt.Errorf("--mlflow: %w", err)
		}
		cfg.MLflow.TrackingURI = c.mlflow
	}
	if c.refresh != 0 {
		if c.refresh < time.Second {
			return fmt.Errorf("--refresh %s: must be at least 1s", c.refresh)
		}
		cfg.Refresh = c.refresh
	}
	if c.readOnly {
		cfg.ReadOnly = true
	}
	if c.theme != "" {
		if !themes.Known(c.theme) {
			return fmt.Errorf("--theme: unknown theme %q (known: %s)", c.theme, strings.Join(themes.Names(), ", "))
		}
		cfg.Theme = c.theme
	}
	return nil
}

const noConfigHelp = `mltop: no config file found.

Try the built-in demo fleet:
  mltop demo

Or point mltop at your servers:
  mltop --prometheus http://127.0.0.1:9090 --mlflow http://127.0.0.1:5000

Or write a config file (see docs/config.md) at one of:
  --config FILE, $MLTOP_CONFIG, $XDG_CONFIG_HOME/mltop/config.yaml
A minimal one, for exporters scraped by mltop itself:
  scrape:
    targets: [http://127.0.0.1:8000/metrics]
`
