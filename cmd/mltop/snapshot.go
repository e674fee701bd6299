package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/signal"
	"syscall"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/report"
)

// cmdSnapshot prints one poll of every source and exits 0.
func cmdSnapshot(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("snapshot", stderr)
	var o oneShot
	o.register(fs)
	format := fs.String("format", "json", "json or table")
	if err := fs.Parse(args); err != nil {
		return exitFailure
	}
	if *format != "json" && *format != "table" {
		fmt.Fprintf(stderr, "mltop snapshot: --format must be json or table, not %q\n", *format)
		return exitFailure
	}
	log, closeLog := openLog(o.logFile, stderr)
	defer closeLog()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	snap, code := o.poll(ctx, log, stderr)
	if code != exitOK {
		return code
	}
	if err := printSnapshot(stdout, snap, *format); err != nil {
		fmt.Fprintf(stderr, "mltop: %v\n", err)
		return exitFailure
	}
	return exitOK
}

func printSnapshot(w io.Writer, s fleet.Snapshot, format string) error {
	if format == "table" {
		return report.Table(w, s)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}
