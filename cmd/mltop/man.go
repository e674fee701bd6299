package main

import (
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra/doc"

	"github.com/mltop/mltop/internal/termsafe"
)

// cmdMan prints mltop(1), or writes it and a page per command into a
// folder: the pages are made from the same definitions as --help.
func cmdMan(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("man", stderr)
	dir := fs.String("dir", "", "write mltop.1 and a page per command (mltop-snapshot.1, ...) into this folder")
	if err := parseArgs(fs, args, stdout); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		termsafe.Fprintf(stderr, "mltop man: unexpected argument %q\n", fs.Arg(0))
		return exitFailure
	}
	code := exitOK
	root := cli(stdout, stderr, &code)
	root.Long = manDescription()
	root.DisableAutoGenTag = true // the date is the header's
	root.InitDefaultCompletionCmd()
	header := &doc.GenManHeader{Title: "MLTOP", Section: "1", Source: "mltop " + version, Manual: "mltop manual"}
	var err error
	if *dir == "" {
		err = doc.GenMan(root, header, stdout)
	} else if err = os.MkdirAll(*dir, 0o755); err == nil {
		err = doc.GenManTree(root, header, *dir)
	}
	if err != nil {
		termsafe.Fprintf(stderr, "mltop man: %v\n", termsafe.Lines(err.Error()))
		return exitFailure
	}
	return exitOK
}

// manDescription is mltop(1)'s description: what it is, its commands
// (--help's list, verbatim), where it keeps things and its exit codes.
func manDescription() string {
	var b strings.Builder
	b.WriteString("mltop watches machine-learning models in production: per model and version, " +
		"serving health, model quality, data drift, ground-truth lag and rollout state, " +
		"read from Prometheus-compatible servers (or exporters it scrapes itself) and an MLflow model registry. " +
		"Without a command it draws the dashboard; the commands below poll once and print, act on a model, " +
		"or serve the dashboard over SSH.\n\n# COMMANDS\n")
	for _, l := range strings.Split(strings.TrimRight(commandList(), "\n"), "\n")[3:] {
		b.WriteString("    " + l + "\n")
	}
	b.WriteString(`
# FILES
*$XDG_CONFIG_HOME/mltop/config.yaml* (or *--config*, or *$MLTOP_CONFIG*): the config file; the packages install an example at */etc/mltop/config.yaml*.

*$XDG_STATE_HOME/mltop/*: the log file, the audit log of actions, the registry's history and the model names shell completion offers.

# ENVIRONMENT
*MLTOP_CONFIG*: the config file. *MLFLOW_TRACKING_URI*, *MLFLOW_TRACKING_TOKEN*, *MLFLOW_TRACKING_USERNAME*, *MLFLOW_TRACKING_PASSWORD*: the MLflow server and its credentials. *NO_COLOR*: no colours.

# EXIT STATUS
0 success; 1 a threshold breached (check), a failed verdict or action, or no config file; 2 a source failed, the answer is unknown, or bad usage. Each command's page says which apply.
`)
	return b.String()
}
