package root

import (
	"fmt"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// command is one : command.
type command struct {
	name    string
	aliases []string
	usage   string // argument, as shown in help: "NAME"
	desc    string
	// args lists the completions of the argument word being typed, given
	// the words typed before it; nil when there is no argument.
	args func(m *Model, before []string) []candidate
	// needsArg makes an empty argument an error.
	needsArg bool
	run      func(m *Model, arg string) tea.Cmd
}

var commands = []command{
	{name: "model", usage: "NAME", desc: "open a model's detail", needsArg: true,
		args: oneWord(modelCandidates), run: (*Model).cmdModel},
	{name: "compare", usage: "MODEL [A B]", desc: "compare two versions", needsArg: true,
		args: compareCandidates, run: (*Model).cmdCompare},
	{name: "drift", usage: "MODEL", desc: "open a model's drift", needsArg: true,
		args: oneWord(modelCandidates), run: (*Model).cmdDrift},
	{name: "range", usage: rangeUsage(), desc: "graph range", needsArg: true,
		args: oneWord(rangeCandidates), run: (*Model).cmdRange},
	{name: "at", usage: "TIME", desc: "the fleet as it was then: 2026-03-04T03:00 (UTC) or -2h", needsArg: true,
		args: oneWord(atCandidates), run: (*Model).cmdAt},
	{name: "live", desc: "back to live data after :at", run: (*Model).cmdLive},
	{name: "theme", usage: "NAME", desc: "colour theme", needsArg: true,
		args: oneWord(themeCandidates), run: (*Model).cmdTheme},
	{name: "filter", usage: "PATTERN", desc: "filter the fleet (empty clears)",
		args: func(*Model, []string) []candidate { return nil }, run: (*Model).cmdFilter},
	{name: "audit", usage: "[MODEL]", desc: "the log of actions (of one model)",
		args: oneWord(modelCandidates), run: (*Model).cmdAudit},
	{name: "alerts", usage: "[MODEL]", desc: "alerts firing, pending and silenced (of one model)",
		args: oneWord(modelCandidates), run: (*Model).cmdAlerts},
	{name: "ctx", usage: "[NAME|all]", desc: "the contexts: list them, switch to one, all fleets at once",
		args: oneWord(ctxCandidates), run: (*Model).cmdCtx},
	{name: "approvals", desc: "actions waiting for a second operator (mltop serve)", run: (*Model).cmdApprovals},
	{name: "help", desc: "keys and commands", run: func(m *Model, _ string) tea.Cmd {
		m.openHelp()
		return nil
	}},
	{name: "quit", aliases: []string{"q"}, desc: "leave mltop", run: func(m *Model, _ string) tea.Cmd { return m.quit() }},
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
	// The word being typed is what follows the last space; the ones before
	// it are complete and narrow what it can be (:compare MODEL A B).
	word := arg[strings.LastIndexByte(arg, ' ')+1:]
	start = len(text) - len(word)
	return start, matchCandidates(c.args(m, strings.Fields(arg[:len(arg)-len(word)])), word)
}

// oneWord completes a command whose argument is a single word.
func oneWord(list func(*Model) []candidate) func(*Model, []string) []candidate {
	return func(m *Model, before []string) []candidate {
		if len(before) > 0 {
			return nil
		}
		return list(m)
	}
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
		m.flash.set(fmt.Sprintf("unknown command %q: try %s", name, commandNames()), true, m.c.Now)
		return nil
	}
	if c.needsArg && arg == "" {
		m.flash.set(fmt.Sprintf(":%s needs %s", c.name, c.usage+usageHint[c.name]), true, m.c.Now)
		return nil
	}
	return c.run(m, arg)
}

// commandNames lists the commands in plain words: "model, range or quit".
func commandNames() string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// usageHint explains an argument in more words where the usage is terse.
var usageHint = map[string]string{
	"compare": ": the model, then two of its versions or none for the default pair",
}

func modelCandidates(m *Model) []candidate {
	if m.c.Snapshot == nil {
		return nil
	}
	out := make([]candidate, 0, len(m.c.Snapshot.Models))
	for _, md := range m.c.Snapshot.Models {
		out = append(out, candidate{word: termsafe.Clean(md.Name), desc: termsafe.Clean(md.Description)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].word < out[j].word })
	return out
}

func (m *Model) cmdModel(arg string) tea.Cmd {
	if md := m.findModel(arg); md != nil {
		if m.ctxs.merged {
			return m.openInContext(md.Name)
		}
		m.popToRoot()
		return m.push(m.screens.Detail(m.c, md.Name))
	}
	m.flash.set(fmt.Sprintf("no model named %q", arg), true, m.c.Now)
	return nil
}

// findModel finds a model of the latest snapshot by its name as typed
// (raw, or as shown once cleaned); nil when there is none.
func (m *Model) findModel(name string) *fleet.Model {
	if m.c.Snapshot == nil {
		return nil
	}
	for i := range m.c.Snapshot.Models {
		md := &m.c.Snapshot.Models[i]
		if md.Name == name || termsafe.Clean(md.Name) == name {
			return md
		}
	}
	return nil
}

// cmdDrift opens a model's drift screen over the fleet, as d does there.
func (m *Model) cmdDrift(arg string) tea.Cmd {
	if m.c.Snapshot != nil {
		for _, md := range m.c.Snapshot.Models {
			if md.Name == arg || termsafe.Clean(md.Name) == arg {
				if m.ctxs.merged {
					return m.openInContext(md.Name)
				}
				m.popToRoot()
				return m.pushOr(m.screens.Drift(m.c, md.Name), "no drift screen in this build")
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

// compareCandidates completes :compare MODEL A B: the model, then its versions.
func compareCandidates(m *Model, before []string) []candidate {
	switch len(before) {
	case 0:
		return modelCandidates(m)
	case 1, 2:
		md := m.findModel(before[0])
		if md == nil {
			return nil
		}
		out := make([]candidate, 0, len(md.Versions))
		for i := range md.Versions {
			v := &md.Versions[i]
			if len(before) == 2 && versionMatches(v.Version, before[1]) {
				continue // already the other side
			}
			out = append(out, candidate{word: termsafe.Clean(v.Version), desc: versionDesc(md, v)})
		}
		return out
	}
	return nil
}

// versionDesc is a version's track and aliases, to tell versions apart.
func versionDesc(md *fleet.Model, v *fleet.Version) string {
	parts := []string{}
	if t := termsafe.Clean(v.Track); t != "" {
		parts = append(parts, t)
	}
	var aliases []string
	for a, ver := range md.Aliases {
		if ver == v.Version {
			aliases = append(aliases, termsafe.Clean(a))
		}
	}
	sort.Strings(aliases)
	parts = append(parts, aliases...)
	if !v.Serving {
		parts = append(parts, "not serving")
	}
	return strings.Join(parts, " · ")
}

// versionMatches accepts a version as typed: 12, or v12 as it is shown.
func versionMatches(version, typed string) bool {
	v := termsafe.Clean(version)
	return version == typed || v == typed || "v"+v == typed
}

// cmdCompare opens the compare screen: MODEL alone compares the default
// pair (champion and challenger, else stable and canary), MODEL A B those two.
func (m *Model) cmdCompare(arg string) tea.Cmd {
	words := strings.Fields(arg)
	md := m.findModel(words[0])
	if md == nil {
		m.flash.set(fmt.Sprintf("no model named %q", words[0]), true, m.c.Now)
		return nil
	}
	if m.ctxs.merged {
		return m.openInContext(md.Name)
	}
	var a, b string
	switch len(words) {
	case 1:
	case 3:
		var errs []string
		for i, typed := range words[1:] {
			ver := ""
			for k := range md.Versions {
				if versionMatches(md.Versions[k].Version, typed) {
					ver = md.Versions[k].Version
				}
			}
			if ver == "" {
				errs = append(errs, fmt.Sprintf("%s has no version %q", termsafe.Clean(md.Name), typed))
			}
			if i == 0 {
				a = ver
			} else {
				b = ver
			}
		}
		if len(errs) > 0 {
			m.flash.set(strings.Join(errs, "; ")+fmt.Sprintf(" (versions: %s)", versionNames(md)), true, m.c.Now)
			return nil
		}
		if a == b {
			m.flash.set(fmt.Sprintf("compare two different versions, not v%s with itself", termsafe.Clean(a)), true, m.c.Now)
			return nil
		}
	default:
		m.flash.set(fmt.Sprintf(":compare takes a model and two versions, or the model alone: compare %s [A B]", termsafe.Clean(md.Name)), true, m.c.Now)
		return nil
	}
	if m.screens.Compare == nil {
		m.flash.set("no compare screen in this build", true, m.c.Now)
		return nil
	}
	m.popToRoot()
	return m.pushOr(m.screens.Compare(m.c, md.Name, a, b), "no compare screen in this build")
}

func versionNames(md *fleet.Model) string {
	if len(md.Versions) == 0 {
		return "none"
	}
	out := make([]string, len(md.Versions))
	for i := range md.Versions {
		out[i] = termsafe.Clean(md.Versions[i].Version)
	}
	return strings.Join(out, ", ")
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
