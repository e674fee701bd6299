package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mltop/mltop/internal/termsafe"
)

// cmdHelp prints the list of commands, or with a command's name that
// command's help.
func cmdHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || isHelp(args[0]) {
		_ = termsafe.WriteText(stdout, usage)
		return exitOK
	}
	text, ok := commandHelp(args)
	if !ok {
		termsafe.Fprintf(stderr, "mltop help: unknown command %q\n\n", strings.Join(args, " "))
		_ = termsafe.WriteText(stderr, usage)
		return exitFailure
	}
	_ = termsafe.WriteText(stdout, text)
	return exitOK
}

// commandHelp is the help of the command at path ("snapshot";
// "rollout", "promote"), made from its definition and the flags it
// parses.
func commandHelp(path []string) (string, bool) {
	if len(path) == 0 || path[0] == "" {
		return usage, true
	}
	c, ok := findCommand(path[0])
	if !ok || len(path) > 2 {
		return "", false
	}
	forms, long := c.forms, longText(c)
	var fs *flag.FlagSet
	if !c.flagless {
		fs = probeFlags(c.run)
	}
	var subs []subcommand
	if len(path) == 2 {
		i := subIndex(c, path[1])
		if i < 0 {
			return "", false
		}
		s := c.subs[i]
		forms = []form{{use: c.name + " " + s.name + " " + s.use}}
		long, fs = strings.TrimSpace(s.about+"\n\n"+s.long), probeFlags(c.run, s.name)
	} else {
		subs = c.subs
	}
	var b strings.Builder
	b.WriteString("Usage:\n")
	for _, f := range forms {
		b.WriteString("  mltop " + f.use + "\n")
	}
	b.WriteString("\n" + long + "\n")
	if len(subs) > 0 {
		b.WriteString("\nCommands:\n")
		for _, s := range subs {
			fmt.Fprintf(&b, "  %-9s %s\n", s.name, strings.ReplaceAll(s.about, "\n", "\n            "))
		}
		fmt.Fprintf(&b, "\nRun 'mltop %s COMMAND --help' for a command's flags.\n", c.name)
	}
	own, shared := flagHelp(fs)
	if own != "" {
		b.WriteString("\nFlags:\n" + own)
	}
	if shared != "" {
		b.WriteString("\nGlobal flags:\n" + shared)
	}
	return b.String(), true
}

func subIndex(c command, name string) int {
	for i, s := range c.subs {
		if s.name == name {
			return i
		}
	}
	return -1
}

// flagHelp lists a flag set's flags, its own then the shared ones, each
// with its argument and what it does.
func flagHelp(fs *flag.FlagSet) (own, shared string) {
	if fs == nil {
		return "", ""
	}
	type line struct{ name, text string }
	var mine, common []line
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		arg, text := flag.UnquoteUsage(f)
		if t, ok := globalFlagText[f.Name]; ok {
			arg, text = t[0], t[1]
		}
		l := line{strings.TrimSpace("--" + f.Name + " " + arg), text}
		if !isZeroDefault(f) {
			l.text += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		width = max(width, len(l.name))
		if _, ok := globalFlagText[f.Name]; ok {
			common = append(common, l)
		} else {
			mine = append(mine, l)
		}
	})
	format := func(ls []line) string {
		var b strings.Builder
		indent := "\n" + strings.Repeat(" ", width+5)
		for _, l := range ls {
			fmt.Fprintf(&b, "  %-*s   %s\n", width, l.name, strings.ReplaceAll(l.text, "\n", indent))
		}
		return b.String()
	}
	return format(mine), format(common)
}

// isZeroDefault reports whether a flag's default goes without saying.
func isZeroDefault(f *flag.Flag) bool {
	switch f.DefValue {
	case "", "false", "0", "0s":
		return true
	}
	return false
}
