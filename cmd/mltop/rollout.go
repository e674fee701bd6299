package main

import (
	"io"
	"strings"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/termsafe"
)

// rolloutVerbs are mltop rollout's verbs and the actions they run.
var rolloutVerbs = map[string]string{
	"abort":   actions.RolloutAbort,
	"promote": actions.RolloutPromote, // --full: actions.RolloutPromoteFull
	"pause":   actions.RolloutPause,
	"resume":  actions.RolloutResume,
	"retry":   actions.RolloutRetry,
}

// rolloutAbout says what mltop rollout does, for its help; each verb's
// own line is in rolloutSubs.
const rolloutAbout = `Drives the model's progressive rollout (actions.rollout): reads its state,
shows the plan, asks for confirmation, sends the request and records it in
the audit log. Kind argo-rollouts patches the Rollout as kubectl argo
rollouts does; kind flagger opens or closes the Flagger load tester's gates
(promote and resume open the promotion gate, pause closes it, abort opens
the rollback gate; promote --full and retry have no Flagger lever).

Exit 0 succeeded, 1 failed or refused, 2 unknown or bad usage.`

// cmdRollout runs one verb on a model's rollout, through the same plan,
// confirmation, roles and audit log as rollback.
func cmdRollout(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		_ = termsafe.WriteText(stderr, "mltop rollout: want a verb: abort, promote, pause, resume or retry\n"+
			"usage: mltop rollout VERB MODEL --reason R [--yes] [flags]; see mltop rollout --help\n")
		return exitActionUnknown
	}
	if isHelp(args[0]) || args[0] == "help" {
		text, _ := commandHelp([]string{"rollout"})
		_ = termsafe.WriteText(stdout, text)
		return exitOK
	}
	action, ok := rolloutVerbs[args[0]]
	if !ok {
		termsafe.Fprintf(stderr, "mltop rollout: unknown verb %q: want abort, promote, pause, resume or retry\n", args[0])
		return exitActionUnknown
	}
	return runAction(action, args[1:], stdout, stderr)
}

// commandName is how the command line names action: "rollback",
// "rollout promote".
func commandName(action string) string {
	if actions.IsRolloutVerb(action) {
		verb := strings.TrimPrefix(action, "rollout-")
		if action == actions.RolloutPromoteFull {
			verb = "promote --full"
		}
		return "rollout " + verb
	}
	return action
}

// configName is the key under actions: that configures action.
func configName(action string) string {
	if actions.IsRolloutVerb(action) {
		return "rollout"
	}
	return action
}
