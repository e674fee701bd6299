package main

import (
	"io"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/termsafe"
)

// cmdCheck polls once and exits 0 healthy, 1 when a threshold is
// breached, 2 when it cannot tell: a source failed, an answer was partial,
// no model was found, or --wait ended before the rate window filled (and
// on bad usage or config; a missing config is 2 here, since 1 means
// "breached").
func cmdCheck(args []string, stdout, stderr io.Writer) int {
	return runOneShot("check", args, []string{"text", "json"}, exitFailure, stdout, stderr, func(snap fleet.Snapshot, in report.CheckInput, format string) int {
		r := report.EvaluateWith(snap, in)
		if err := report.WriteCheck(stdout, r, format); err != nil {
			termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
			return exitFailure
		}
		return r.Code
	})
}
