package main

import (
	"context"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/internal/wiring"
)

// cmdDoctor checks the config, reaches each configured source and says
// which profiles are read and which roles they fill: exit 0 nothing wrong,
// 1 problems found (one line each, with what to do), 2 the config cannot
// be loaded or bad usage.
func cmdDoctor(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("doctor", stderr)
	var c globalFlags
	c.register(fs)
	format := fs.String("format", "text", "text or json")
	if err := parseArgs(fs, args, stdout); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		termsafe.Fprintf(stderr, "mltop doctor: unexpected argument %q\n", fs.Arg(0))
		return exitFailure
	}
	if *format != "text" && *format != "json" {
		termsafe.Fprintf(stderr, "mltop doctor: --format must be text or json, not %q\n", *format)
		return exitFailure
	}
	path, ok, _ := config.Resolve(c.configPath, os.Getenv)
	if !ok {
		path = ""
	}
	cfg, found, err := c.loadConfig(stderr)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop doctor: config: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	// $MLFLOW_TRACKING_URI alone is checked (it is what the registry would
	// read), and doctor says the other commands want more.
	envOnly := !found && cfg.MLflow.TrackingURI != ""
	if !found && !envOnly {
		_ = termsafe.WriteText(stderr, noConfigHelp)
		return exitFailure
	}
	sections, err := doctorSections(&c, cfg)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop doctor: config: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	log, closeLog := openLog(c.logFile, stderr)
	defer closeLog()
	diagnoseAll(context.Background(), sections, log)
	if envOnly {
		sections[0].d.Problems = append(sections[0].d.Problems, envOnlyProblem)
	}
	if *format == "json" {
		enc := termsafe.NewJSONEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doctorJSONOf(path, cfg.ContextName, sections)); err != nil {
			termsafe.Fprintf(stderr, "mltop doctor: %v\n", err)
			return exitFailure
		}
	} else {
		_ = termsafe.WriteText(stdout, doctorText(path, sections))
	}
	for _, s := range sections {
		if len(s.d.Problems) > 0 {
			return exitBreach
		}
	}
	return exitOK
}

// envOnlyProblem is what doctor adds when only the environment names a
// source: the dashboard and the other commands stop with their help.
const envOnlyProblem = "config: only $MLFLOW_TRACKING_URI names a source, and without a config file, --prometheus or --mlflow mltop stops with its help — write a config file (docs/config.md) or pass --mlflow"

// doctorText is the diagnosis for people: what answered, the profiles
// and their roles, then the problems, one line each; with contexts, one
// section per context, headed by its name, its problem lines prefixed
// with it.
func doctorText(path string, sections []doctorSection) string {
	var b strings.Builder
	if path == "" {
		b.WriteString("config       no file: flags and environment only\n")
	} else {
		b.WriteString("config       " + termsafe.Clean(path) + ": loaded\n")
	}
	for i, s := range sections {
		if s.name != "" {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString("context      " + termsafe.Clean(s.name) + "\n")
		}
		sectionText(&b, s)
	}
	return b.String()
}

func sectionText(b *strings.Builder, s doctorSection) {
	d := s.d
	for _, src := range d.Sources {
		line := padRight(src.Name, 12) + " " + termsafe.Clean(src.URL) + ": "
		switch {
		case src.OK:
			line += termsafe.Clean(src.Detail)
		default:
			line += "not OK (see problems)"
		}
		if src.Backend != "" {
			line += " (" + termsafe.Clean(src.Backend) + ")"
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("profiles     " + profilesLine(d.Profiles) + "\n")
	if len(d.Roles) > 0 {
		b.WriteString("roles\n")
		for _, r := range d.Roles {
			b.WriteString("  " + padRight(r.Role, 29) + " " + roleLine(r) + "\n")
		}
	}
	if len(d.Problems) == 0 {
		b.WriteString("no problems found\n")
		return
	}
	b.WriteString("problems\n")
	for _, p := range s.problems() {
		b.WriteString(termsafe.Clean(p) + "\n")
	}
}

func profilesLine(p wiring.ProfileCheck) string {
	names := strings.Join(p.Names, "+")
	switch {
	case p.Explicit:
		return names + " (prometheus.profile)"
	case p.Detected:
		return names + " (detected)"
	case p.Problem != "":
		return names + " (not detected: every exporter profile is read)"
	}
	return names + " (default)"
}

// roleLine is "mltop (model_predictions_total)", or what was looked for,
// and the profiles whose query for the role is replaced.
func roleLine(r wiring.RoleCheck) string {
	line := roleFill(r)
	if len(r.Replaced) > 0 && !r.Query {
		line += "; replaces " + strings.Join(r.Replaced, ", ") + " (a rollout profile replaces the roles of the profiles before it)"
	}
	return line
}

func roleFill(r wiring.RoleCheck) string {
	switch {
	case r.Off:
		return "off (prometheus.queries)"
	case r.Query:
		return "prometheus.queries"
	case len(r.FilledBy) > 0:
		return roleSources(r.FilledBy)
	}
	return "nothing: looked for " + roleSources(r.LookedFor)
}

func roleSources(srcs []wiring.RoleSource) string {
	parts := make([]string, len(srcs))
	for i, s := range srcs {
		there := slices.DeleteFunc(slices.Clone(s.Metrics), func(m string) bool { return slices.Contains(s.Absent, m) })
		text := strings.Join(there, ", ")
		if len(s.Absent) > 0 {
			text += "; absent: " + strings.Join(s.Absent, ", ")
		}
		parts[i] = s.Profile + " (" + text + ")"
	}
	return strings.Join(parts, ", ")
}

func padRight(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}
