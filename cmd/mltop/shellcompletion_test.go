package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/lastmodels"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/internal/wiring"
)

// bashCompletion is Debian's bash-completion, which cobra's bash script
// builds on, as it is on every machine where bash completes commands.
const bashCompletion = "/usr/share/bash-completion/bash_completion"

// mltopOnPath puts this test binary on PATH as mltop, answering as mltop.
func mltopOnPath(t *testing.T) []string {
	t.Helper()
	bin := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(bin, "mltop")); err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), runAsMltop+"=1")
}

// Bash, with the script mltop completion bash prints sourced, completes a
// command line by asking a real mltop process: commands, flag values and
// the model names of the last poll.
func TestBashCompletesThroughMltop(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if _, serr := os.Stat(bashCompletion); err != nil || serr != nil {
		msg := "bash with bash-completion is not installed: apt-get install bash-completion"
		if testenv.Required() {
			t.Fatal(msg + " (MLTOP_REQUIRE_INTEGRATION=1)")
		}
		t.Skip(msg)
	}
	isolate(t)
	err = lastmodels.Save(lastmodels.Path(wiring.StateDir(), ""), []lastmodels.Model{
		{Name: "fraud-detector", Versions: []string{"7", "8"}}, {Name: "churn"}})
	if err != nil {
		t.Fatal(err)
	}
	script := `
source ` + bashCompletion + `
source <(mltop completion bash) || exit 3
complete -p mltop >/dev/null || exit 4
ask() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
  __start_mltop 2>/dev/null; echo "$* => ${COMPREPLY[*]}"; }
ask mltop rollb
ask mltop rollback fr
ask mltop verdict fraud-detector --candidate ""
ask mltop check --format ""
`
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "--norc", "--noprofile", "-c", script)
	cmd.Env = mltopOnPath(t)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	for _, want := range []string{
		"mltop rollb => rollback",
		"mltop rollback fr => fraud-detector",
		"mltop verdict fraud-detector --candidate  => 7 8",
		"mltop check --format  => text json",
	} {
		if !strings.Contains(string(out), want+"\n") {
			t.Errorf("bash completion: want %q in\n%s", want, out)
		}
	}
}

// zsh and fish load their scripts, where installed (neither is on a
// Debian machine by default).
func TestZshAndFishLoadTheirScripts(t *testing.T) {
	env := mltopOnPath(t)
	ran := 0
	for _, c := range []struct{ shell, script string }{
		{"zsh", `autoload -U compinit && compinit -u && source <(mltop completion zsh) && (( $+functions[_mltop] ))`},
		{"fish", `mltop completion fish | source; and complete -C'mltop snapshot --format ' | string match -q json`},
	} {
		path, err := exec.LookPath(c.shell)
		if err != nil {
			continue
		}
		ran++
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, path, "-c", c.script)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", c.shell, err, out)
		}
		cancel()
	}
	if ran == 0 {
		t.Skip("neither zsh nor fish is installed")
	}
}
