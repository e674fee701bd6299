package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
)

// cmdHistory prints which versions of a model served when: exit 0 with
// the history, 2 when it could not be read (in full), the model is
// unknown, or the usage is bad.
func cmdHistory(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("history", stderr)
	var o oneShot
	o.register(fs)
	since := fs.String("since", "30d", "how far back: a duration (30d, 12h) or an RFC 3339 time")
	format := fs.String("format", "text", "text or json")
	model, err := parseWithModel(fs, args, stdout)
	if err == nil {
		err = o.refuseAt("history")
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		termsafe.Fprintf(stderr, "mltop history: %v\nusage: mltop history MODEL [--since 30d] [--format text|json] [flags]; see mltop history --help\n", err)
		return exitFailure
	}
	if *format != "text" && *format != "json" {
		termsafe.Fprintf(stderr, "mltop history: --format must be text or json, not %q\n", *format)
		return exitFailure
	}
	now := time.Now()
	from, err := parseSince(*since, now)
	if err != nil || !from.Before(now) {
		termsafe.Fprintf(stderr, "mltop history: --since: want a duration such as 30d or a past RFC 3339 time; got %q\n", *since)
		return exitFailure
	}
	log, closeLog := openLog(o.logFile, stderr)
	defer closeLog()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, closeSources, code := o.open(ctx, log, stderr)
	defer closeSources()
	if code != exitOK {
		return exitFailure
	}
	p := a.ServedOneModel()
	if p == nil {
		termsafe.Fprintln(stderr, "mltop history: no serving history: it needs a Prometheus-compatible server (or scrape targets) and a request_rate query")
		return exitFailure
	}
	// One poll first: it maps a registered name to its metrics label and
	// tells an unknown model from one that did not serve.
	snap := o.firstSnapshot(ctx, a, stderr)
	// Up to the end of the poll: the built-in engine has scraped only since
	// it started.
	now = time.Now()
	byModel, err := p.Served(ctx, model, from, now)
	ivs := byModel[model]
	if len(ivs) == 0 && err != nil {
		termsafe.Fprintf(stderr, "mltop history: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	if len(ivs) == 0 && !inSnapshot(snap, model) {
		termsafe.Fprintf(stderr, "mltop history: no model %q in the metrics or its serving history%s\n", model, didYouMean(snap, model))
		return exitFailure
	}
	doc := historyDoc{Model: model, From: from.UTC(), To: now.UTC(), StepSeconds: int(p.Step(from, now).Seconds())}
	doc.Versions = byVersion(ivs)
	if err != nil {
		doc.Error = err.Error()
	}
	if *format == "json" {
		if werr := termsafe.NewJSONEncoder(stdout).Encode(doc); werr != nil {
			termsafe.Fprintf(stderr, "mltop: %v\n", werr)
			return exitFailure
		}
	} else {
		writeHistoryText(stdout, doc, ivs)
	}
	if err != nil {
		termsafe.Fprintf(stderr, "mltop history: answered in part: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	return exitOK
}

// historyDoc is `mltop history --format json`.
type historyDoc struct {
	Model       string           `json:"model"`
	From        time.Time        `json:"from"`
	To          time.Time        `json:"to"`
	StepSeconds int              `json:"step_seconds"`
	Versions    []historyVersion `json:"versions"`
	// Error says what could not be read (the error ratio or quality
	// query); the intervals are still right.
	Error string `json:"error,omitempty"`
}

type historyVersion struct {
	Version string          `json:"version"`
	Served  []servedJSONRow `json:"served"`
}

type servedJSONRow struct {
	From       time.Time `json:"from"`
	To         time.Time `json:"to"`
	Share      float64   `json:"share"`
	ErrorRatio *float64  `json:"error_ratio"`
	// LastDayErrorRatio is the mean over the interval's last day, which the
	// rollback's last known good also judges.
	LastDayErrorRatio *float64           `json:"last_day_error_ratio"`
	Quality           map[string]float64 `json:"quality"`
}

// byVersion groups intervals by version, newest version first.
func byVersion(ivs []fleet.ServedInterval) []historyVersion {
	idx := map[string]int{}
	out := []historyVersion{}
	for _, iv := range ivs {
		i, ok := idx[iv.Version]
		if !ok {
			i = len(out)
			idx[iv.Version] = i
			out = append(out, historyVersion{Version: iv.Version, Served: []servedJSONRow{}})
		}
		out[i].Served = append(out[i].Served, servedJSONRow{From: iv.From.UTC(), To: iv.To.UTC(), Share: iv.Share, ErrorRatio: iv.ErrorRatio,
			LastDayErrorRatio: iv.LastDayErrorRatio, Quality: iv.Quality})
	}
	sort.SliceStable(out, func(i, j int) bool { return fleet.CompareVersions(out[i].Version, out[j].Version) > 0 })
	return out
}

const historyTime = "2006-01-02 15:04"

// writeHistoryText prints one line per interval, oldest first.
func writeHistoryText(w io.Writer, doc historyDoc, ivs []fleet.ServedInterval) {
	termsafe.Fprintf(w, "%s: versions served %s to %s UTC (%s steps)\n", doc.Model,
		doc.From.Format(historyTime), doc.To.Format(historyTime), human.Duration(time.Duration(doc.StepSeconds)*time.Second))
	if len(ivs) == 0 {
		termsafe.Fprintln(w, "  no version took traffic in this range")
		return
	}
	termsafe.Fprintf(w, "  %-8s %-16s   %-16s %5s  %-7s %s\n", "VERSION", "FROM", "TO", "SHARE", "ERRORS", "QUALITY")
	for _, iv := range ivs {
		errs := "—"
		if iv.ErrorRatio != nil {
			errs = human.Percent(*iv.ErrorRatio)
		}
		quality := "—"
		for m, q := range iv.Quality {
			quality = m + " " + human.Score(q)
		}
		termsafe.Fprintf(w, "  %-8s %-16s → %-16s %5s  %-7s %s\n", "v"+strings.TrimPrefix(iv.Version, "v"),
			iv.From.UTC().Format(historyTime), iv.To.UTC().Format(historyTime), human.PercentWhole(iv.Share), errs, quality)
	}
}

func inSnapshot(s fleet.Snapshot, model string) bool {
	for i := range s.Models {
		if s.Models[i].Name == model {
			return true
		}
	}
	return false
}

// didYouMean names the snapshot's closest model names, if any.
func didYouMean(s fleet.Snapshot, model string) string {
	names := make([]string, 0, len(s.Models))
	for i := range s.Models {
		names = append(names, s.Models[i].Name)
	}
	if near := human.ClosestNames(model, names, 3); len(near) > 0 {
		return fmt.Sprintf("; did you mean %s?", strings.Join(near, ", "))
	}
	return ""
}
