package main

import (
	"io"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/termsafe"
)

// cmdSnapshot prints one poll of every source and exits 0.
func cmdSnapshot(args []string, stdout, stderr io.Writer) int {
	return runOneShot("snapshot", args, []string{"json", "table"}, exitNoConfig, stdout, stderr, func(snap fleet.Snapshot, _ report.CheckInput, format string) int {
		if err := printSnapshot(stdout, snap, format); err != nil {
			termsafe.Fprintf(stderr, "mltop: %v\n", termsafe.Lines(err.Error()))
			return exitFailure
		}
		return exitOK
	})
}

func printSnapshot(w io.Writer, s fleet.Snapshot, format string) error {
	if format == "table" {
		return report.Table(w, s)
	}
	enc := termsafe.NewJSONEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}
