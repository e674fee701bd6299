// Command mltop is top for machine-learning models in production.
package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/mltop/mltop/internal/termsafe"
)

// Exit codes shared by every sub-command.
const (
	exitOK       = 0
	exitBreach   = 1 // check: a threshold is breached
	exitFailure  = 2 // a source failed, or bad usage or config
	exitNoConfig = 1
)

// usage is what mltop --help prints: the commands, then the global flags
// as they are registered, so the list cannot miss one. Both are made from
// commands() at start: as package variables they would depend on the
// commands that print them.
var usage, usageCommands string

func init() {
	usageCommands = commandList()
	usage = usageCommands + "\n" + globalFlagsHelp() + "\nRun 'mltop COMMAND --help' for a command's own flags.\n"
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// isHelp reports whether a is a request for help.
func isHelp(a string) bool { return a == "-h" || a == "--help" || a == "-help" || a == "--h" }

func run(args []string, stdout, stderr io.Writer) int {
	// Whatever a command prints passes the terminal filter: no control
	// sequence from a server reaches the terminal, even from a call site
	// that forgot to clean its fields. (The dashboard draws on the
	// terminal itself, with every server text cleaned.)
	stdout, stderr = termsafe.NewWriter(stdout), termsafe.NewWriter(stderr)
	name := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	if name == "" {
		for _, a := range args {
			if isHelp(a) {
				_ = termsafe.WriteText(stdout, usage)
				return exitOK
			}
		}
	}
	if name == cobra.ShellCompRequestCmd || name == cobra.ShellCompNoDescRequestCmd {
		return runCobra(append([]string{name}, args...), stdout, stderr)
	}
	c, ok := findCommand(name)
	if !ok {
		termsafe.Fprintf(stderr, "mltop: unknown command %q\n\n", name)
		_ = termsafe.WriteText(stderr, usage)
		return exitFailure
	}
	return c.run(args, stdout, stderr)
}
