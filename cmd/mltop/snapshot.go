package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/report"
)

// cmdSnapshot prints one poll of every source and exits 0.
func cmdSnapshot(args []string, stdout, stderr io.Writer) int {
	return runOneShot("snapshot", args, []string{"json", "table"}, exitNoConfig, stdout, stderr, func(snap fleet.Snapshot, _ report.CheckInput, format string) int {
		if err := printSnapshot(stdout, snap, format); err != nil {
			fmt.Fprintf(stderr, "mltop: %v\n", err)
			return exitFailure
		}
		return exitOK
	})
}

func printSnapshot(w io.Writer, s fleet.Snapshot, format string) error {
	if format == "table" {
		return report.Table(w, s)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}
