package main

import (
	"io"
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/mltop/mltop/internal/termsafe"
)

// hasTerminal reports whether the dashboard can draw: stdout is a terminal
// (redirected, the frames would go to a file or a pipe) and keys can be
// read, from stdin or else from the controlling terminal, as Bubble Tea
// does. Tests replace it.
var hasTerminal = func() bool {
	if !term.IsTerminal(os.Stdout.Fd()) {
		return false
	}
	if term.IsTerminal(os.Stdin.Fd()) {
		return true
	}
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	_ = tty.Close()
	return true
}

// needTerminal says, in one line, that the dashboard needs a terminal and
// what to use instead; false when there is none.
func needTerminal(stderr io.Writer) bool {
	if hasTerminal() {
		return true
	}
	_ = termsafe.WriteText(stderr, "mltop: the dashboard needs a terminal (stdout and keyboard); for scripts use 'mltop snapshot' or 'mltop check'\n")
	return false
}
