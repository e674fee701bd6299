package root

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// contextState is what the root knows of config contexts: the ones :ctx
// switches between and its own. The switching itself is ui/contexts',
// which the root asks with messages.
type contextState struct {
	list        []common.ContextInfo
	name, color string
	// merged is the view of every context's fleet (:ctx all).
	merged bool
}

// noContexts is what :ctx says on a config without contexts.
const noContexts = "no contexts in the config (see docs/config.md)"

// cmdCtx is :ctx (the list), :ctx all (every fleet) and :ctx NAME.
func (m *Model) cmdCtx(arg string) tea.Cmd {
	if len(m.ctxs.list) == 0 {
		m.flash.set(noContexts, true, m.c.Now)
		return nil
	}
	switch arg {
	case "":
		return func() tea.Msg { return common.ListContextsMsg{} }
	case common.AllContexts:
		return func() tea.Msg { return common.AllContextsMsg{} }
	}
	names := make([]string, len(m.ctxs.list))
	for i, c := range m.ctxs.list {
		names[i] = c.Name
		if c.Name == arg || termsafe.Clean(c.Name) == arg {
			if c.Name == m.ctxs.name {
				m.flash.set("already in context "+termsafe.Clean(c.Name), false, m.c.Now)
				return nil
			}
			name := c.Name
			return func() tea.Msg { return common.SwitchContextMsg{Name: name} }
		}
	}
	msg := fmt.Sprintf("no context named %q", arg)
	if near := human.ClosestNames(arg, names, 1); len(near) > 0 {
		msg += fmt.Sprintf(": did you mean %s?", termsafe.Clean(near[0]))
	} else {
		msg += ": " + strings.Join(cleanAll(names), ", ")
	}
	m.flash.set(msg, true, m.c.Now)
	return nil
}

func cleanAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = termsafe.Clean(s)
	}
	return out
}

// ctxCandidates completes :ctx: the contexts, then all.
func ctxCandidates(m *Model) []candidate {
	if len(m.ctxs.list) == 0 {
		return nil
	}
	out := make([]candidate, 0, len(m.ctxs.list)+1)
	for _, c := range m.ctxs.list {
		desc := termsafe.Clean(c.Host)
		if c.Name == m.ctxs.name {
			desc = strings.TrimSpace(desc + " (shown)")
		}
		out = append(out, candidate{word: termsafe.Clean(c.Name), desc: desc})
	}
	return append(out, candidate{word: common.AllContexts, desc: "every context's fleet in one table"})
}

// openInContext is enter (or :model) on a model of the merged view: the
// model opens in its own context, where its actions are.
func (m *Model) openInContext(name string) tea.Cmd {
	md := m.findModel(name)
	if md == nil || md.Context == "" {
		m.flash.set(fmt.Sprintf("no model named %q", name), true, m.c.Now)
		return nil
	}
	sw := common.SwitchContextMsg{Name: md.Context, Model: common.NameInContext(md)}
	return func() tea.Msg { return sw }
}

// modelToOpen is the model a screen asks to open (its detail, drift or
// comparison); ok is false for other messages.
func modelToOpen(msg tea.Msg) (string, bool) {
	switch msg := msg.(type) {
	case common.OpenModelMsg:
		return msg.Model, true
	case common.OpenDriftMsg:
		return msg.Model, true
	case common.OpenCompareMsg:
		return msg.Model, true
	}
	return "", false
}

// contextBadge is the context's name in its colour, first on the status
// line at every width: which cluster a key acts on must never be a guess.
func (m *Model) contextBadge() string {
	if m.ctxs.name == "" {
		return ""
	}
	return common.ContextStyle(m.c.Theme, m.ctxs.color).Render(termsafe.Clean(m.ctxs.name))
}

// ContextName is the context this root shows; "" outside contexts.
func (m *Model) ContextName() string { return m.ctxs.name }

// FleetSelected is the model under the fleet's cursor; "" when none.
func (m *Model) FleetSelected() string {
	if s, ok := m.stack[0].(selector); ok {
		return s.Selected()
	}
	return ""
}

// LiveSnapshot is the poller's latest snapshot, also while the root looks
// back (then the one shown is the past's): a context's health in :ctx and
// :ctx all is its present. nil before the first poll.
func (m *Model) LiveSnapshot() *fleet.Snapshot {
	if m.back.frozen() {
		return m.back.live
	}
	return m.c.Snapshot
}

// LookingBack is the past time the root shows; zero when live.
func (m *Model) LookingBack() time.Time { return m.back.at }

// Busy reports whether the user is in the middle of something here: an
// overlay open (filter, command line, help, a dialog, approvals).
// Another context is not put in front of it unasked.
func (m *Model) Busy() bool { return m.overlay != overlayNone }

// Hide is called when another context is put on screen in this one's
// place. An action not yet confirmed is cancelled, not kept armed out of
// sight: coming back later, enter would confirm a plan made on a fleet
// that has moved on, in a context the user may no longer have in mind.
// A dialog already sent stays for its outcome.
func (m *Model) Hide() {
	what := m.cancelUnsent()
	if len(what) == 0 {
		return
	}
	m.flash.set(fmt.Sprintf("cancelled: %s — its context was left; press the key again to act", strings.Join(what, ", ")), true, m.c.Now)
}
