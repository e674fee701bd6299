package main

import (
	"fmt"
	"io"
)

func cmdDashboard(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("", stderr)
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return exitFailure
	}
	_, found, err := c.loadConfig()
	if err != nil {
		fmt.Fprintf(stderr, "mltop: %v\n", err)
		return exitFailure
	}
	if !found {
		fmt.Fprint(stderr, noConfigHelp)
		return exitNoConfig
	}
	fmt.Fprintln(stderr, "mltop: the dashboard is not part of this build; use 'mltop snapshot'")
	return exitFailure
}
