package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os/signal"
	"syscall"

	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/termsafe"
)

// cmdVerdict polls once and compares a model's candidate version with its
// stable one: exit 0 pass (the candidate is not significantly worse), 1
// fail (significantly worse), 2 not enough data yet, a source failed, the
// model or candidate is unknown, or bad usage or config.
func cmdVerdict(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("verdict", stderr)
	var o oneShot
	o.register(fs)
	candidate := fs.String("candidate", "", "the version to judge (default: the model's canary, shadow or challenger)")
	format := fs.String("format", "text", "text or json")
	model, err := parseWithModel(fs, args, stdout)
	if err == nil {
		err = o.refuseAt("verdict")
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		termsafe.Fprintf(stderr, "mltop verdict: %v\nusage: mltop verdict MODEL [--candidate V] [--format text|json] [flags]; see mltop verdict --help\n", err)
		return exitFailure
	}
	if *format != "text" && *format != "json" {
		termsafe.Fprintf(stderr, "mltop verdict: --format must be text or json, not %q\n", *format)
		return exitFailure
	}
	log, closeLog := openLog(o.logFile, stderr)
	defer closeLog()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, closeSources, code := o.open(ctx, log, stderr)
	defer closeSources()
	switch code {
	case exitOK:
	case exitNoConfig:
		return exitFailure // 1 means "fail" here
	default:
		return code
	}
	snap, in := o.takeSnapshot(ctx, a, stderr)
	rememberSnapshot(snap, completionFile(a.Config.ContextName, o.demo), log)
	doc, err := report.JudgeVerdict(snap, in, model, *candidate, verdictJudge(a.Config))
	if err != nil {
		termsafe.Fprintf(stderr, "mltop verdict: %v\n", termsafe.Lines(err.Error()))
		for _, f := range report.EvaluateWith(snap, in).Failures {
			// A model missing because its source is down is not a typo.
			termsafe.Fprintf(stderr, "mltop verdict: %s failed: %s\n", f.Source, f.Error)
		}
		return exitFailure
	}
	if err := report.WriteVerdict(stdout, doc, *format); err != nil {
		termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	return report.VerdictCode(doc.Outcome)
}
