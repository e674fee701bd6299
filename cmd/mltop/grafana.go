package main

import (
	"bytes"
	"context"
	"io"
	"strings"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/grafana"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/internal/wiring"
)

// cmdGrafana prints a Grafana dashboard sending the config's role queries:
// exit 0 written, 2 on bad usage or a bad config.
func cmdGrafana(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("grafana", stderr)
	var c globalFlags
	c.register(fs)
	output := fs.String("output", "", "write to this file instead of stdout")
	datasource := fs.String("datasource", "", "a Prometheus data source's UID (default: a data source variable chosen on import)")
	title := fs.String("title", "mltop", "the dashboard's title")
	if err := parseArgs(fs, args, stdout); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		termsafe.Fprintf(stderr, "mltop grafana: unexpected argument %q\n", fs.Arg(0))
		return exitFailure
	}
	if strings.TrimSpace(*title) == "" {
		termsafe.Fprintln(stderr, "mltop grafana: --title must not be empty")
		return exitFailure
	}
	cfg, found, err := c.loadConfig(stderr)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	if !found {
		termsafe.Fprintln(stderr, "mltop grafana: no config file: the dashboard uses the mltop profile's queries")
	}
	log, closeLog := openLog(c.logFile, stderr)
	defer closeLog()
	// No prometheus.profile written: the same detection as every command
	// (bounded by its own timeout).
	cfg = wiring.Detect(context.Background(), cfg, log)
	qs, err := cfg.Queries()
	if err == nil {
		var d *grafana.Dashboard
		d, err = grafana.Build(qs, grafana.Options{Title: *title, Datasource: *datasource, Profiles: profilesSaid(cfg, found)})
		var b bytes.Buffer
		if err == nil {
			err = d.Write(&b)
		}
		if err == nil && *output != "" {
			err = writeFileAtomic(*output, b.Bytes())
		} else if err == nil {
			_, err = b.WriteTo(stdout)
		}
	}
	if err != nil {
		termsafe.Fprintf(stderr, "mltop grafana: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	return exitOK
}

// profilesSaid says which profiles the queries come from and how they
// were chosen, for the dashboard's description.
func profilesSaid(cfg *config.Config, found bool) string {
	names := "profile " + strings.Join(cfg.Prometheus.Profile, ", ")
	if len(cfg.Prometheus.Profile) != 1 {
		names = "profiles " + strings.Join(cfg.Prometheus.Profile, ", ")
	}
	d := cfg.Prometheus.Detection
	switch {
	case cfg.ProfileExplicit():
		return names + ", as configured"
	case d != nil && d.Detected:
		return names + ", detected on " + cfg.Prometheus.URL
	case d != nil:
		return names + ": every exporter profile, as detection could not choose (" + d.Problem + ")"
	case !found:
		return names + ", the default: no config file"
	}
	return names + ", the default"
}
