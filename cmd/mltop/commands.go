package main

import (
	"io"
	"strings"
)

// command is one of mltop's commands: the single definition that its
// dispatch, mltop --help's list, its own --help, the shell completions
// and the man pages are all made from.
type command struct {
	name string // the word after mltop; "" is the dashboard
	// forms are its usage lines, each with what it does, as --help lists them.
	forms []form
	// long is more about it, for its own --help and its man page.
	long string
	// run runs it with the arguments after its name.
	run func(args []string, stdout, stderr io.Writer) int
	// args says what its positional arguments are, for completion.
	args argKind
	// subs are its sub-commands (reference export, rollout abort, ...):
	// run still receives them as its first argument.
	subs []subcommand
	// flagless commands parse no flags: nothing to ask them for.
	flagless bool
}

// form is one usage line: what follows "mltop ", and what it does.
type form struct {
	use   string
	about []string
}

type subcommand struct {
	name  string
	use   string // what follows "mltop NAME "
	about string
	long  string // more about it, for its help and man page
	args  argKind
}

// argKind is what a command's positional arguments name.
type argKind int

const (
	argsNone         argKind = iota
	argsModel                // MODEL
	argsModelVersion         // MODEL VERSION
	argsShell                // bash, zsh, fish, powershell
)

// commands lists every command, in mltop --help's order.
func commands() []command {
	return []command{
		{forms: []form{{"[flags]", []string{"the dashboard, with the config file"}}}, run: cmdDashboard},
		{name: "demo", forms: []form{{"demo [--speed N] [--seed N] [flags]", []string{"the dashboard against the built-in demo fleet"}}}, run: cmdDemo},
		{name: "snapshot", forms: []form{{"snapshot [--demo] [--format json|table] [--at T] [flags]", []string{
			"one poll of every source, printed (--at: as it was at a past time)"}}}, run: cmdSnapshot},
		{name: "check", forms: []form{{"check [--demo] [--format text|json] [--at T] [flags]", []string{
			"one poll; exit 0 healthy, 1 threshold breached, 2 cannot tell",
			"(a source failed or answered in part, no model found,",
			"or --wait ended before the rate window filled)"}}}, run: cmdCheck},
		{name: "verdict", forms: []form{{"verdict MODEL [--candidate V] [--format text|json] [--demo] [flags]", []string{
			"one poll; compare a candidate version with the stable one:",
			"exit 0 pass (not worse), 1 fail (significantly worse),",
			"2 not enough data yet, a source failed, or unknown model/version"}}}, run: cmdVerdict, args: argsModel},
		{name: "rollback", forms: []form{{"rollback MODEL [--to V] --reason R [--yes] [--demo] [flags]", []string{
			"roll a model back to an earlier version, audited"}}}, run: cmdRollback, args: argsModel},
		{name: "retrain", forms: []form{{"retrain MODEL --reason R [--yes] [--demo] [flags]", []string{
			"ask the configured pipeline to retrain a model, audited",
			"(exit 0 succeeded, 1 failed or refused, 2 unknown or bad usage)"}}}, run: cmdRetrain, args: argsModel},
		{name: "rollout", forms: []form{{"rollout abort|promote|pause|resume|retry MODEL [--full] --reason R [--yes] [flags]", []string{
			"drive the model's Argo rollout (promote --full: skip every step), audited"}}},
			long: rolloutAbout, run: cmdRollout, subs: rolloutSubs, flagless: true},
		{name: "silence", forms: []form{{"silence MODEL --for 2h --reason R [--version V] [--alert NAME] [--yes] [--format json]", []string{
			"silence the model's alerts in Alertmanager (1m to 7d), audited"}}}, run: cmdSilence, args: argsModel},
		{name: "unsilence", forms: []form{{"unsilence SILENCE_ID --reason R [--yes] [--format json]", []string{
			"expire a silence before its end, audited"}}}, run: cmdUnsilence},
		{name: "audit", forms: []form{{"audit [--model M] [--action A] [--since 24h] [--format text|json] [--context NAME]", []string{
			"print the audit log of actions"}}}, run: cmdAudit},
		{name: "history", forms: []form{{"history MODEL [--since 30d] [--format text|json] [--demo] [flags]", []string{
			"which versions served which share of traffic when, with their",
			"error ratio and quality (exit 2: unknown model or history unreadable)"}}}, run: cmdHistory, args: argsModel},
		{name: "report", forms: []form{{"report [--since 90d] [--format md|json] [--model M] [flags]", []string{
			"the record of a period for a model-risk review: versions served,",
			"actions, alerts, breaches, drift and quality episodes, alias history"}}}, run: cmdReport},
		{name: "reference", flagless: true, forms: []form{{"reference export MODEL VERSION [--from T] [--to T | --last 1d] [--out FILE] [flags]", []string{
			"write a version's reference profile (registry tag mltop.reference)"}}},
			run: cmdReference, subs: []subcommand{{name: "export", use: "MODEL VERSION [--from T] [--to T | --last 1d] [--out FILE] [flags]",
				about: "write a version's reference profile (registry tag mltop.reference)", long: referenceAbout, args: argsModelVersion}}},
		{name: "rules", forms: []form{
			{"rules [--format prometheus|prometheusrule] [--output FILE] [--interval 1m] [--for-scale 1] [flags]", []string{
				"print Prometheus alerting rules made from the config's thresholds"}},
			{"rules --recording [--format prometheus|prometheusrule] [--output FILE] [flags]", []string{
				"print recording rules for the queries mltop sends every refresh",
				"(a rule file, or a Kubernetes PrometheusRule: --name, --namespace, --label)"}}}, run: cmdRules},
		{name: "grafana", forms: []form{{"grafana [--output FILE] [--datasource UID] [--title T] [flags]", []string{
			"print a Grafana dashboard whose panels send the queries mltop sends"}}}, run: cmdGrafana},
		{name: "serve", forms: []form{{"serve [--listen ADDR] [--demo] [--metrics-listen ADDR] [--http-only] [flags]", []string{
			"serve the dashboard over SSH to the users in serve.users;",
			"--metrics-listen also serves /metrics and /v1/verdict over HTTP,",
			"--http-only serves only those (no SSH)"}}}, run: cmdServe},
		{name: "doctor", forms: []form{{"doctor [--format text|json] [flags]", []string{
			"check the config, reach each source, say which profiles are read",
			"(detected or configured) and which roles they fill: exit 0 nothing",
			"wrong, 1 problems found (one line each, with what to do),",
			"2 the config cannot be loaded or bad usage"}}}, run: cmdDoctor},
		{name: "completion", forms: []form{{"completion bash|zsh|fish", []string{
			"print the shell's completion script (models and versions are", "completed from the last poll)"}}},
			long: completionAbout, run: cmdCompletion, args: argsShell, flagless: true},
		{name: "man", forms: []form{{"man [--dir DIR]", []string{
			"print the man page, or write every command's page into DIR"}}}, run: cmdMan},
		{name: "version", forms: []form{{"version", []string{"version, commit, build date"}}},
			run: func(_ []string, stdout, _ io.Writer) int { return cmdVersion(stdout) }, flagless: true},
		{name: "help", forms: []form{{"help, mltop --help", []string{"this text"}}}, run: cmdHelp, flagless: true},
	}
}

var rolloutSubs = []subcommand{
	{name: "abort", use: "MODEL --reason R [--yes] [flags]", args: argsModel,
		about: "traffic returns to stable at once; the canary scales down\n(only while the rollout is progressing or paused)"},
	{name: "promote", use: "MODEL [--full] --reason R [--yes] [flags]", args: argsModel,
		about: "move on one step (only while paused, or progressing with steps left);\n" +
			"--full skips every remaining step: the canary becomes stable at once\n(always asks for the model's name)"},
	{name: "pause", use: "MODEL --reason R [--yes] [flags]", about: "hold the rollout where it is (only when not paused)", args: argsModel},
	{name: "resume", use: "MODEL --reason R [--yes] [flags]", about: "undo a pause made by a person (only when so paused)", args: argsModel},
	{name: "retry", use: "MODEL --reason R [--yes] [flags]", about: "start an aborted update again (only when aborted)", args: argsModel},
}

// findCommand is the command named name, if there is one.
func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// usageColumn is where a command's explanation starts in --help's list.
const usageColumn = 37

// commandList is --help's list of commands, made from commands().
func commandList() string {
	var b strings.Builder
	b.WriteString("mltop — top for machine-learning models in production\n\nUsage:\n")
	indent := strings.Repeat(" ", usageColumn)
	for _, c := range commands() {
		for _, f := range c.forms {
			line := "  mltop " + f.use
			about := f.about
			if len(line) < usageColumn && len(about) > 0 {
				line += strings.Repeat(" ", usageColumn-len(line)) + about[0]
				about = about[1:]
			}
			b.WriteString(line + "\n")
			for _, a := range about {
				b.WriteString(indent + a + "\n")
			}
		}
	}
	return b.String()
}
