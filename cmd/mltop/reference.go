package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/drift/refexport"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/internal/wiring"
)

// referenceUsage is the usage line a mistake is answered with.
const referenceUsage = "usage: mltop reference export MODEL VERSION [--from TIME] [--to TIME | --last DURATION] [--out FILE] [flags]; see mltop reference export --help\n"

// referenceAbout says what mltop reference export does, for its help.
const referenceAbout = `Writes the reference profile of one model version (MODEL as the metrics'
model label) from its feature histograms over a time range (with each
numeric feature's range and, where model_feature_missing_total is
exported, each feature's missing share), as JSON: store
it as the version's registry tag ` + histdrift.TagKey + ` and mltop compares that
version's live data with it. The range is --from to --to (default: now), or
the --last DURATION before --to (default 1d). TIME is RFC 3339
(2026-11-20T03:00:00Z) or "now". Reads from the configured Prometheus.
`

// referenceFlags are the flags of `mltop reference export`.
type referenceFlags struct {
	globalFlags
	from, to, out string
	last          string
}

func (r *referenceFlags) register(fs *flag.FlagSet) {
	r.globalFlags.register(fs)
	fs.StringVar(&r.from, "from", "", "start of the range (RFC 3339)")
	fs.StringVar(&r.to, "to", "now", "end of the range (RFC 3339 or now)")
	fs.StringVar(&r.last, "last", "", "length of the range before --to (default 1d)")
	fs.StringVar(&r.out, "out", "", "file to write (default: standard output)")
}

// referenceNow is the clock of "now"; tests set it.
var referenceNow = time.Now

func cmdReference(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && isHelp(args[0]) {
		text, _ := commandHelp([]string{"reference"})
		_ = termsafe.WriteText(stdout, text)
		return exitOK
	}
	if len(args) == 0 || args[0] != "export" {
		_ = termsafe.WriteText(stderr, "mltop reference: want a sub-command: export\n\n"+referenceUsage)
		return exitFailure
	}
	fs := newFlagSet("reference export", stderr)
	var r referenceFlags
	r.register(fs)
	// Flags may come before or after MODEL VERSION.
	var pos []string
	rest := args[1:]
	for {
		if err := parseArgs(fs, rest, stdout); err != nil {
			return parseFailed(err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(pos) != 2 || pos[0] == "" || pos[1] == "" {
		termsafe.Fprintf(stderr, "mltop reference export: want MODEL VERSION, got %d arguments\n\n", len(pos))
		_ = termsafe.WriteText(stderr, referenceUsage)
		return exitFailure
	}
	from, to, err := r.timeRange(referenceNow())
	if err != nil {
		termsafe.Fprintf(stderr, "mltop reference export: %v\n", err)
		return exitFailure
	}
	cfg, found, err := r.loadConfig(stderr)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	if !found || cfg.Prometheus.URL == "" {
		_ = termsafe.WriteText(stderr, "mltop reference export: needs a Prometheus-compatible server with the range's history: set prometheus.url or --prometheus\n")
		return exitFailure
	}
	log, closeLog := openLog(r.logFile, stderr)
	defer closeLog()
	// No prometheus.profile written: the server says which exporters it holds.
	cfg = wiring.Detect(context.Background(), cfg, log)
	a, err := wiring.New(cfg, log)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*cfg.Prometheus.Timeout+5*time.Second)
	defer cancel()
	p, empty, err := refexport.Export(ctx, a.Metrics, cfg, pos[0], pos[1], from, to)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop reference export: %v\n", err)
		return exitFailure
	}
	if len(empty) > 0 {
		termsafe.Fprintf(stderr, "mltop reference export: no observations of %s in the range; left out\n", strings.Join(empty, ", "))
	}
	b, err := p.Marshal()
	if err != nil {
		termsafe.Fprintf(stderr, "mltop reference export: %v\n", err)
		return exitFailure
	}
	// Escaped as JSON allows, so that the file is safe to cat.
	b = append(termsafe.JSON(b), '\n')
	if r.out == "" || r.out == "-" {
		_, err = stdout.Write(b)
	} else {
		err = os.WriteFile(r.out, b, 0o644)
	}
	if err != nil {
		termsafe.Fprintf(stderr, "mltop reference export: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// timeRange resolves --from, --to and --last.
func (r *referenceFlags) timeRange(now time.Time) (from, to time.Time, err error) {
	if to, err = parseTime(r.to, now); err != nil {
		return from, to, fmt.Errorf("--to: %w", err)
	}
	switch {
	case r.from != "" && r.last != "":
		return from, to, errors.New("use --from or --last, not both")
	case r.from != "":
		if from, err = parseTime(r.from, now); err != nil {
			return from, to, fmt.Errorf("--from: %w", err)
		}
	default:
		last := 24 * time.Hour
		if r.last != "" {
			d, err := model.ParseDuration(r.last)
			if err != nil || d <= 0 {
				return from, to, fmt.Errorf("--last %q: not a positive duration such as 1d or 12h", r.last)
			}
			last = time.Duration(d)
		}
		from = to.Add(-last)
	}
	if !to.After(from) {
		return from, to, fmt.Errorf("the range from %s to %s is empty", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return from, to, nil
}

func parseTime(s string, now time.Time) (time.Time, error) {
	if s == "" || s == "now" {
		return now, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time such as 2026-11-20T03:00:00Z", s)
	}
	return t, nil
}
