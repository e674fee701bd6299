package main

import (
	"flag"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagProbe, handed to a command as its stdout with the one argument
// --help, receives the command's flag set instead of its help (see
// parseArgs). So the flags a command parses are, by construction, the
// flags its help, completions and man page describe.
type flagProbe struct{ fs *flag.FlagSet }

func (*flagProbe) Write(p []byte) (int, error) { return len(p), nil }

// probeFlags is the flag set run parses after the arguments before.
func probeFlags(run func([]string, io.Writer, io.Writer) int, before ...string) *flag.FlagSet {
	p := &flagProbe{}
	run(append(before, "--help"), p, io.Discard)
	return p.fs
}

// cli is the cobra tree of commands(): the completions and man pages are
// generated from it. Commands run through run's own dispatch, not
// cobra's, so that their flags keep the syntax of Go's flag package (-f
// and --f alike) and their exit codes; cobra parses a command line only
// to complete it.
func cli(stdout, stderr io.Writer, code *int) *cobra.Command {
	var root *cobra.Command
	for _, c := range commands() {
		cc := &cobra.Command{
			Use:   c.forms[0].use,
			Short: c.forms[0].about[0],
			Long:  longText(c),
		}
		cc.RunE = runner(c.run, code, stdout, stderr)
		if !c.flagless {
			addFlags(cc, probeFlags(c.run), c.forms)
		}
		cc.ValidArgsFunction = completeArgs(c.args)
		for _, s := range c.subs {
			short, _, _ := strings.Cut(s.about, "\n")
			sc := &cobra.Command{Use: s.name + " " + s.use, Short: short, Long: strings.TrimSpace(s.about + "\n\n" + s.long)}
			sub := func(args []string, stdout, stderr io.Writer) int {
				return c.run(append([]string{s.name}, args...), stdout, stderr)
			}
			sc.RunE = runner(sub, code, stdout, stderr)
			addFlags(sc, probeFlags(c.run, s.name), []form{{use: c.name + " " + s.name + " " + s.use}})
			sc.ValidArgsFunction = completeArgs(s.args)
			cc.AddCommand(sc)
		}
		switch c.name {
		case "":
			cc.Use, root = "mltop", cc
			cc.Short = "top for machine-learning models in production"
			root.SetOut(stdout)
			root.SetErr(stderr)
			// The dashboard's flags are every command's: cobra completes
			// them after any sub-command too.
		case "help", "completion":
			continue // cobra's own: added by Execute
		default:
			root.AddCommand(cc)
		}
	}
	root.CompletionOptions.HiddenDefaultCmd = false
	root.SilenceUsage, root.SilenceErrors = true, true
	return root
}

// runner adapts a command's run to cobra, keeping its exit code.
func runner(run func([]string, io.Writer, io.Writer) int, code *int, stdout, stderr io.Writer) func(*cobra.Command, []string) error {
	return func(_ *cobra.Command, args []string) error {
		*code = run(args, stdout, stderr)
		return nil
	}
}

// longText is a command's description: its usage lines with what each
// does, then more about it.
func longText(c command) string {
	var b strings.Builder
	for i, f := range c.forms {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if len(c.forms) > 1 {
			b.WriteString("mltop " + f.use + ":\n")
		}
		b.WriteString(strings.Join(f.about, "\n"))
	}
	if c.long != "" {
		b.WriteString("\n\n" + strings.TrimRight(c.long, "\n"))
	}
	return b.String()
}

// addFlags gives cc the flags of fs, with --help's longer texts for the
// shared ones, and completes their values.
func addFlags(cc *cobra.Command, fs *flag.FlagSet, forms []form) {
	if fs == nil {
		return
	}
	fs.VisitAll(func(f *flag.Flag) {
		pf := pflag.PFlagFromGoFlag(f)
		if text, ok := globalFlagText[f.Name]; ok {
			pf.Usage = text[1]
		}
		cc.Flags().AddFlag(pf)
	})
	for name, fn := range flagCompletions(fs, forms) {
		_ = cc.RegisterFlagCompletionFunc(name, fn)
	}
}
