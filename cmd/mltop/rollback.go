package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/charmbracelet/x/term"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
)

// Exit codes of the action commands.
const (
	exitActionFailed  = 1 // failed or refused: nothing changed (or the target said no)
	exitActionUnknown = 2 // sent without a clear answer, or bad usage
)

// terminal is where confirmations are asked; replaced in tests.
var terminal = struct {
	in    io.Reader
	isTTY func() bool
}{
	in:    os.Stdin,
	isTTY: func() bool { return term.IsTerminal(os.Stdin.Fd()) },
}

// cmdRollback rolls a model back to an earlier version.
func cmdRollback(args []string, stdout, stderr io.Writer) int {
	return runAction(actions.Rollback, args, stdout, stderr)
}

// actionFlags are the flags of rollback and retrain.
type actionFlags struct {
	oneShot
	reason string
	yes    bool
	to     string
	full   bool // rollout promote --full
	// approvedBy names a second operator's approval in the audit log, for
	// a model under actions.two_person.
	approvedBy string
	silenceFlags
}

func (f *actionFlags) register(fs *flag.FlagSet, action string) {
	f.oneShot.register(fs)
	fs.StringVar(&f.reason, "reason", "", "why; recorded in the audit log (required unless actions.require_reason is false)")
	fs.BoolVar(&f.yes, "yes", false, "confirm without asking (for scripts)")
	fs.StringVar(&f.approvedBy, "approved-by", "", "request id of a second operator's approval recorded in the audit log (models under actions.two_person)")
	if action == actions.Rollback {
		fs.StringVar(&f.to, "to", "", "version to roll back to (default: the one that served before the current one)")
	}
	if action == actions.RolloutPromote {
		fs.BoolVar(&f.full, "full", false, "skip every remaining step, pause and analysis: the canary takes all traffic at once (asks for the model's name)")
	}
	f.silenceFlags.register(fs, action)
}

// runAction is rollback and retrain: plan, confirm, execute, report — the
// same executor and audit log as the dashboard's keys.
func runAction(action string, args []string, stdout, stderr io.Writer) int {
	name := commandName(action)
	fs := newFlagSet(name, stderr)
	var f actionFlags
	f.register(fs, action)
	model, err := parseWithModel(fs, args, stdout)
	if err == nil {
		err = f.silenceFlags.check(action)
	}
	if err == nil {
		err = f.refuseAt(name)
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		termsafe.Fprintf(stderr, "mltop %s: %v\nusage: mltop %s %s [flags]; see mltop %s --help\n", name, silenceWord(action, err), name, argName(action), name)
		return exitActionUnknown
	}
	// The plan and questions go where the JSON does not.
	out := stdout
	if f.format == "json" {
		out = stderr
	}
	if f.full {
		action, name = actions.RolloutPromoteFull, name+" --full"
	}
	log, closeLog := openLog(f.logFile, stderr)
	defer closeLog()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, closeSources, code := f.open(ctx, log, stderr)
	defer closeSources()
	if code != exitOK {
		return exitActionUnknown
	}
	defer a.Close()
	spec, ok := a.Actions.Spec(action)
	if !ok {
		termsafe.Fprintf(stderr, "mltop %s: no %s action is configured: set actions.%s in the config file (see docs/actions.md)\n", name, configName(action), configName(action))
		return exitActionFailed
	}
	if spec.Missing != "" {
		termsafe.Fprintf(stderr, "mltop %s: %s\n", name, spec.Missing)
		return exitActionFailed
	}
	req := actions.Request{Action: action, Model: model, To: f.to, Reason: f.reason, Approval: f.approvedBy,
		Actor: actions.Actor{User: currentUser(), Role: config.RoleOperator}}
	f.silenceFlags.apply(action, &req)
	switch {
	case action == actions.Retrain:
		// The retrain carries the model's health, drift and quality.
		req.Snapshot = findModel(f.firstSnapshot(ctx, a, stderr), model)
	case actions.IsRolloutVerb(action) && a.Engine != nil:
		// The built-in engine starts empty: it would scrape for a window
		// before answering, and hold no verdict window of counts even
		// then. Driving a rollout does not wait for that.
		req.Evidence = &fleet.Verdict{Model: model, Outcome: fleet.VerdictNotEnough,
			Why: "the built-in engine has only just started scraping: it holds no verdict window of counts (use a Prometheus server, or the dashboard, for the evidence)"}
	case actions.IsRolloutVerb(action):
		// The plan shows the judge's verdict of the canary as evidence.
		snap := f.firstSnapshot(ctx, a, stderr)
		req.Snapshot = findModel(snap, model)
		v := verdictJudge(a.Config)(&snap, model, "")
		req.Evidence = &v
	}
	plan, err := a.Actions.Plan(ctx, req)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop %s: %v; nothing was sent\n", name, err)
		return exitActionFailed
	}
	req.ID, req.Context = plan.ID, plan.Context
	req.Model = plan.Model // an unsilence's, from the silence
	printPlan(out, plan, req)
	// Without an approval there is nothing to confirm: the executor
	// refuses, and records it.
	unapproved := plan.TwoPerson && req.Approval == ""
	if plan.Refusal == "" && !f.yes && !unapproved {
		if code, ok := confirm(out, stderr, plan, &req); !ok {
			return code
		}
	} else if f.yes {
		req.Confirm = model // --yes is the confirmation, typed name included
	}
	// A refusal found while planning is still executed: the executor
	// records it.
	res := a.Actions.Execute(ctx, req)
	if f.format == "json" {
		printResult(stderr, res)
		writeActionJSON(stdout, plan, res)
	} else {
		printResult(stdout, res)
	}
	switch res.Outcome {
	case actions.Succeeded:
		return exitOK
	case actions.Unknown:
		return exitActionUnknown
	}
	return exitActionFailed
}

// parseWithModel parses flags placed before and after the one MODEL argument.
func parseWithModel(fs *flag.FlagSet, args []string, stdout io.Writer) (string, error) {
	var pos []string
	for {
		if err := parseArgs(fs, args, stdout); err != nil {
			return "", err
		}
		if fs.NArg() == 0 {
			break
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	switch len(pos) {
	case 0:
		return "", fmt.Errorf("no model named")
	case 1:
		return pos[0], nil
	}
	return "", fmt.Errorf("one model at a time, got %q", pos)
}

func findModel(s fleet.Snapshot, name string) *fleet.Model {
	for i := range s.Models {
		if s.Models[i].Name == name {
			m := s.Models[i]
			return &m
		}
	}
	return nil
}

// confirm asks on the terminal: the model's name when the plan wants it
// typed, else y. It also asks for a missing required reason. ok is false
// when the operator did not confirm; code is then the exit code.
func confirm(stdout, stderr io.Writer, p actions.Plan, req *actions.Request) (code int, ok bool) {
	if !terminal.isTTY() {
		termsafe.Fprintf(stderr, "mltop %s: refusing: no terminal to confirm on; pass --yes to confirm from a script\n", commandName(p.Action))
		return exitActionFailed, false
	}
	in := bufio.NewReader(terminal.in)
	ask := func(format string, args ...any) string {
		termsafe.Fprintf(stdout, format, args...)
		line, _ := in.ReadString('\n')
		return strings.TrimSpace(line)
	}
	if p.ReasonRequired && strings.TrimSpace(req.Reason) == "" {
		if req.Reason = ask("Reason (recorded in the audit log): "); req.Reason == "" {
			termsafe.Fprintln(stderr, "cancelled: a reason is required; nothing was sent")
			return exitActionFailed, false
		}
	}
	if p.TypedName {
		req.Confirm = ask("Type the model name (%s) to confirm: ", p.Model)
		if req.Confirm != p.Model {
			termsafe.Fprintln(stderr, "cancelled: the name does not match; nothing was sent")
			return exitActionFailed, false
		}
		return exitOK, true
	}
	if a := strings.ToLower(ask("Proceed? [y/N] ")); a != "y" && a != "yes" {
		termsafe.Fprintln(stderr, "cancelled; nothing was sent")
		return exitActionFailed, false
	}
	return exitOK, true
}
