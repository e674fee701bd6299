// Command mltop is top for machine-learning models in production.
package main

import (
	"io"
	"os"

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
// as they are registered, so the list cannot miss one.
var usage = usageCommands + "\n" + globalFlagsHelp() + "\nRun 'mltop COMMAND --help' for a command's own flags.\n"

const usageCommands = `mltop — top for machine-learning models in production

Usage:
  mltop [flags]                      the dashboard, with the config file
  mltop demo [--speed N] [--seed N] [flags]
                                     the dashboard against the built-in demo fleet
  mltop snapshot [--demo] [--format json|table] [--at T] [flags]
                                     one poll of every source, printed (--at: as it was at a past time)
  mltop check [--demo] [--format text|json] [--at T] [flags]
                                     one poll; exit 0 healthy, 1 threshold breached, 2 cannot tell
                                     (a source failed or answered in part, no model found,
                                     or --wait ended before the rate window filled)
  mltop verdict MODEL [--candidate V] [--format text|json] [--demo] [flags]
                                     one poll; compare a candidate version with the stable one:
                                     exit 0 pass (not worse), 1 fail (significantly worse),
                                     2 not enough data yet, a source failed, or unknown model/version
  mltop rollback MODEL [--to V] --reason R [--yes] [--demo] [flags]
                                     roll a model back to an earlier version, audited
  mltop retrain MODEL --reason R [--yes] [--demo] [flags]
                                     ask the configured pipeline to retrain a model, audited
                                     (exit 0 succeeded, 1 failed or refused, 2 unknown or bad usage)
  mltop rollout abort|promote|pause|resume|retry MODEL [--full] --reason R [--yes] [flags]
                                     drive the model's Argo rollout (promote --full: skip every step), audited
  mltop silence MODEL --for 2h --reason R [--version V] [--alert NAME] [--yes] [--format json]
                                     silence the model's alerts in Alertmanager (1m to 7d), audited
  mltop unsilence SILENCE_ID --reason R [--yes] [--format json]
                                     expire a silence before its end, audited
  mltop audit [--model M] [--action A] [--since 24h] [--format text|json] [--context NAME]
                                     print the audit log of actions
  mltop history MODEL [--since 30d] [--format text|json] [--demo] [flags]
                                     which versions served which share of traffic when, with their
                                     error ratio and quality (exit 2: unknown model or history unreadable)
  mltop report [--since 90d] [--format md|json] [--model M] [flags]
                                     the record of a period for a model-risk review: versions served,
                                     actions, alerts, breaches, drift and quality episodes, alias history
  mltop reference export MODEL VERSION [--from T] [--to T | --last 1d] [--out FILE] [flags]
                                     write a version's reference profile (registry tag mltop.reference)
  mltop rules [--format prometheus|prometheusrule] [--output FILE] [--interval 1m] [--for-scale 1] [flags]
                                     print Prometheus alerting rules made from the config's thresholds
  mltop rules --recording [--format prometheus|prometheusrule] [--output FILE] [flags]
                                     print recording rules for the queries mltop sends every refresh
                                     (a rule file, or a Kubernetes PrometheusRule: --name, --namespace, --label)
  mltop grafana [--output FILE] [--datasource UID] [--title T] [flags]
                                     print a Grafana dashboard whose panels send the queries mltop sends
  mltop serve [--listen ADDR] [--demo] [--metrics-listen ADDR] [--http-only] [flags]
                                     serve the dashboard over SSH to the users in serve.users;
                                     --metrics-listen also serves /metrics and /v1/verdict over HTTP,
                                     --http-only serves only those (no SSH)
  mltop doctor [--format text|json] [flags]
                                     check the config, reach each source, say which profiles are read
                                     (detected or configured) and which roles they fill: exit 0 nothing
                                     wrong, 1 problems found (one line each, with what to do),
                                     2 the config cannot be loaded or bad usage
  mltop version                      version, commit, build date
  mltop help, mltop --help           this text
`

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
	cmd := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "demo":
		return cmdDemo(args, stdout, stderr)
	case "snapshot":
		return cmdSnapshot(args, stdout, stderr)
	case "check":
		return cmdCheck(args, stdout, stderr)
	case "verdict":
		return cmdVerdict(args, stdout, stderr)
	case "rollback":
		return cmdRollback(args, stdout, stderr)
	case "retrain":
		return cmdRetrain(args, stdout, stderr)
	case "rollout":
		return cmdRollout(args, stdout, stderr)
	case "silence":
		return cmdSilence(args, stdout, stderr)
	case "unsilence":
		return cmdUnsilence(args, stdout, stderr)
	case "audit":
		return cmdAudit(args, stdout, stderr)
	case "history":
		return cmdHistory(args, stdout, stderr)
	case "reference":
		return cmdReference(args, stdout, stderr)
	case "report":
		return cmdReport(args, stdout, stderr)
	case "rules":
		return cmdRules(args, stdout, stderr)
	case "grafana":
		return cmdGrafana(args, stdout, stderr)
	case "serve":
		return cmdServe(args, stdout, stderr)
	case "doctor":
		return cmdDoctor(args, stdout, stderr)
	case "version":
		return cmdVersion(stdout)
	case "help":
		_ = termsafe.WriteText(stdout, usage)
		return exitOK
	case "":
		for _, a := range args {
			if isHelp(a) {
				_ = termsafe.WriteText(stdout, usage)
				return exitOK
			}
		}
		return cmdDashboard(args, stdout, stderr)
	default:
		termsafe.Fprintf(stderr, "mltop: unknown command %q\n\n", cmd)
		_ = termsafe.WriteText(stderr, usage)
		return exitFailure
	}
}
