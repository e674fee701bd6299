package main

import (
	"io"
	"strings"

	"github.com/mltop/mltop/internal/termsafe"
)

const completionAbout = `Prints the script that makes the shell complete mltop's commands, flags
and their values: model names and versions from the last poll the
dashboard or a one-shot command made (per context, under
$XDG_STATE_HOME/mltop/completion), the config's contexts, themes and
formats.

  bash:  source <(mltop completion bash)     (or put it in
         /etc/bash_completion.d/mltop)
  zsh:   mltop completion zsh > "${fpath[1]}/_mltop"
  fish:  mltop completion fish | source`

// cmdCompletion prints a shell's completion script; __complete, the
// request the scripts send while completing, is answered by runCobra too.
func cmdCompletion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && isHelp(args[0]) {
		text, _ := commandHelp([]string{"completion"})
		_ = termsafe.WriteText(stdout, text)
		return exitOK
	}
	shells := 0
	for _, a := range args {
		switch {
		case a == "bash" || a == "zsh" || a == "fish" || a == "powershell":
			shells++
		case a == "--no-descriptions":
		default:
			shells = -1
		}
	}
	if shells != 1 {
		termsafe.Fprintf(stderr, "mltop completion: want one shell: bash, zsh, fish or powershell (got %q)\n"+
			"usage: mltop completion bash|zsh|fish [--no-descriptions]; see mltop completion --help\n", args)
		return exitFailure
	}
	return runCobra(append([]string{"completion"}, args...), stdout, stderr)
}

// runCobra runs args through the cobra tree (completion and its requests).
func runCobra(args []string, stdout, stderr io.Writer) int {
	code := exitOK
	root := cli(stdout, stderr, &code)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		termsafe.Fprintf(stderr, "mltop %s: %v\n", strings.Join(args[:1], ""), err)
		return exitFailure
	}
	return code
}
