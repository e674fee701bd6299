package main

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"syscall"

	"github.com/mltop/mltop/internal/report"
)

// cmdCheck polls once and exits 0 healthy, 1 when a threshold is
// breached, 2 when a source failed (or on bad usage or config).
func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", stderr)
	var o oneShot
	o.register(fs)
	format := fs.String("format", "text", "text or json")
	if err := fs.Parse(args); err != nil {
		return exitFailure
	}
	if *format != "json" && *format != "text" {
		fmt.Fprintf(stderr, "mltop check: --format must be text or json, not %q\n", *format)
		return exitFailure
	}
	log, closeLog := openLog(o.logFile, stderr)
	defer closeLog()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	snap, code := o.poll(ctx, log, stderr)
	if code != exitOK {
		if code == exitNoConfig {
			code = exitFailure // check's 1 means "breached"; a missing config is not that
		}
		return code
	}
	r := report.Evaluate(snap)
	if err := report.WriteCheck(stdout, r, *format); err != nil {
		fmt.Fprintf(stderr, "mltop: %v\n", err)
		return exitFailure
	}
	return r.Code
}
