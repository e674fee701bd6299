package app

import (
	"fmt"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/ui/common"
)

// command is one : command.
type command struct {
	name    string
	aliases []string
	usage   string // argument, as shown in help: "NAME"
	desc    string
	// args lists the argument's completions; nil when there is no argument.
	args func(m *Model) []candidate
	// needsArg makes an empty argument an error.
	needsArg bool
	run      func(m *Model, arg string) tea.Cmd
}

var commands = []command{
	{name: "model", usage: "NAME", desc: "open a model's detail", needsArg: true,
		args: modelCandidates, run: (*Model).cmdModel},
	{name: "range", usage: rangeUsage(), desc: "graph range", needsArg: true,
		args: rangeCandidates, run: (*Model).cmdRange},
	{name: "theme", usage: "NAME", desc: "colour theme", needsArg: true,
		args: themeCandidates, run: (*Model).cmdTheme},
	{name: "filter", usage: "PATTERN", desc: "filter the fleet (empty clears)",
		args: func(*Model) []candidate { return nil }, run: (*Model).cmdFilter},
	{name: "help", desc: "keys and commands", run: func(m *Model, _ string) tea.Cmd {
		m.openHelp()
		return nil
	}},
	{name: "quit", aliases: []string{"q"}, desc: "leave mltop", run: func(*Model, string) tea.Cmd { return tea.Quit }},
}

func lookupCommand(name string) *command {
	name = strings.ToLower(name)
	for i := range commands {
		c := &commands[i]
		if c.name == name {
			return c
		}
		for _, a := range c.aliases {
			if a == name {
				return c
			}
		}
	}
	return nil
}

// takesArgument reports whether a completed command name wants an argument.
func takesArgument(name string) bool {
	c := lookupCommand(name)
	return c != nil && c.args != nil
}

// commandCandidates completes the word being typed: the command name, or
// once a space follows it, the command's argument. start is where the
// word begins in text.
func (m *Model) commandCandidates(text string) (start int, out []candidate) {
	name, arg, hasArg := strings.Cut(strings.TrimLeft(text, " "), " ")
	start = len(text) - len(strings.TrimLeft(text, " "))
	if !hasArg {
		for _, c := range commands {
			if strings.HasPrefix(c.name, strings.ToLower(name)) {
				desc := c.desc
				if c.usage != "" {
					desc = c.usage + "  " + desc
				}
				out = append(out, candidate{word: c.name, desc: desc})
			}
		}
		return start, out
	}
	c := lookupCommand(name)
	if c == nil || c.args == nil {
		return len(text), nil
	}
	trimmed := strings.TrimLeft(arg, " ")
	start = len(text) - len(trimmed)
	return start, matchCandidates(c.args(m), trimmed)
}

// matchCandidates keeps the candidates starting with prefix, then those
// containing it elsewhere, ignoring case.
func matchCandidates(all []candidate, prefix string) []candidate {
	p := strings.ToLower(prefix)
	var first, rest []candidate
	for _, c := range all {
		w := strings.ToLower(c.word)
		switch {
		case strings.HasPrefix(w, p):
			first = append(first, c)
		case strings.Contains(w, p):
			rest = append(rest, c)
		}
	}
	return append(first, rest...)
}

// runCommand executes a command line; mistakes are said in plain words.
func (m *Model) runCommand(text string) tea.Cmd {
	name, arg, _ := strings.Cut(strings.TrimSpace(text), " ")
	if name == "" {
		return nil
	}
	arg = strings.TrimSpace(arg)
	c := lookupCommand(name)
	if c == nil {
		m.flash.set(fmt.Sprintf("unknown command %q: try model, range, theme, filter, help or quit", name), true, m.c.Now)
		return nil
	}
	if c.needsArg && arg == "" {
		m.flash.set(fmt.Sprintf(":%s needs %s", c.name, c.usage), true, m.c.Now)
		return nil
	}
	return c.run(m, arg)
}

func modelCandidates(m *Model) []candidate {
	if m.c.Snapshot == nil {
		return nil
	}
	out := make([]candidate, 0, len(m.c.Snapshot.Models))
	for _, md := range m.c.Snapshot.Models {
		out = append(out, candidate{word: human.Clean(md.Name), desc: human.Clean(md.Description)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].word < out[j].word })
	return out
}

func (m *Model) cmdModel(arg string) tea.Cmd {
	if m.c.Snapshot != nil {
		for _, md := range m.c.Snapshot.Models {
			if md.Name == arg || human.Clean(md.Name) == arg {
				m.popToRoot()
				return m.push(m.screens.Detail(m.c, md.Name))
			}
		}
	}
	m.flash.set(fmt.Sprintf("no model named %q", arg), true, m.c.Now)
	return nil
}

// rangeLabel is how a graph range is written: 15m, 1h, 24h.
func rangeLabel(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%dm", d/time.Minute)
}

func rangeUsage() string {
	labels := make([]string, len(common.Ranges))
	for i, r := range common.Ranges {
		labels[i] = rangeLabel(r)
	}
	return strings.Join(labels, "|")
}

func rangeCandidates(*Model) []candidate {
	out := make([]candidate, len(common.Ranges))
	for i, r := range common.Ranges {
		out[i] = candidate{word: rangeLabel(r), desc: fmt.Sprintf("key %d", i+1)}
	}
	return out
}

func (m *Model) cmdRange(arg string) tea.Cmd {
	d, err := time.ParseDuration(strings.ToLower(arg))
	for _, r := range common.Ranges {
		if err == nil && d == r {
			return m.setRange(r)
		}
	}
	m.flash.set(fmt.Sprintf("range %q: choose one of %s", arg, strings.ReplaceAll(rangeUsage(), "|", ", ")), true, m.c.Now)
	return nil
}

func themeCandidates(*Model) []candidate {
	out := make([]candidate, len(themeNames))
	for i, n := range themeNames {
		out[i] = candidate{word: n}
	}
	out[0].desc = "follow the terminal background"
	return out
}

func (m *Model) cmdTheme(arg string) tea.Cmd { return m.setTheme(arg) }

func (m *Model) cmdFilter(arg string) tea.Cmd { return m.applyFilter(arg, true) }
