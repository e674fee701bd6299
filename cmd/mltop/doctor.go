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
	if !found {
		_ = termsafe.WriteText(stderr, noConfigHelp)
		return exitFailure
	}
	log, closeLog := openLog(c.logFile, stderr)
	defer closeLog()
	d := wiring.Diagnose(context.Background(), cfg, log)
	if *format == "json" {
		enc := termsafe.NewJSONEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doctorJSONOf(path, d)); err != nil {
			termsafe.Fprintf(stderr, "mltop doctor: %v\n", err)
			return exitFailure
		}
	} else {
		_ = termsafe.WriteText(stdout, doctorText(path, d))
	}
	if len(d.Problems) > 0 {
		return exitBreach
	}
	return exitOK
}

// doctorText is the diagnosis for people: what answered, the profiles
// and their roles, then the problems, one line each.
func doctorText(path string, d wiring.Diagnosis) string {
	var b strings.Builder
	if path == "" {
		b.WriteString("config       no file: flags and environment only\n")
	} else {
		b.WriteString("config       " + termsafe.Clean(path) + ": loaded\n")
	}
	for _, s := range d.Sources {
		line := padRight(s.Name, 12) + " " + termsafe.Clean(s.URL) + ": "
		switch {
		case s.OK:
			line += termsafe.Clean(s.Detail)
		default:
			line += "not OK (see problems)"
		}
		if s.Backend != "" {
			line += " (" + termsafe.Clean(s.Backend) + ")"
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
		return b.String()
	}
	b.WriteString("problems\n")
	for _, p := range d.Problems {
		b.WriteString(termsafe.Clean(p) + "\n")
	}
	return b.String()
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

// roleLine is "mltop (model_predictions_total)", or what was looked for.
func roleLine(r wiring.RoleCheck) string {
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
