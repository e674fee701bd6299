package contexts

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// open starts a context off the UI goroutine.
func (m *Model) open(ch *child) tea.Cmd {
	if ch.opening || ch.root != nil || m.opts.Open == nil {
		if m.opts.Open == nil && ch.root == nil {
			ch.err = "this dashboard cannot open other contexts"
		}
		return nil
	}
	ch.opening, ch.err = true, ""
	name, openFn, parent := ch.info.Name, m.opts.Open, m.ctx
	return tea.Batch(func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, OpenTimeout)
		defer cancel()
		o, err := openFn(ctx, name)
		return openedMsg{name: name, opts: o, err: err}
	}, m.remerge())
}

// opened builds the root of a context just started, and shows it when it
// is the one asked for.
func (m *Model) opened(msg openedMsg) tea.Cmd {
	ch := m.byName[msg.name]
	if ch == nil {
		return nil
	}
	ch.opening = false
	if msg.err != nil {
		ch.err = "failed to start: " + msg.err.Error()
		if m.want == msg.name {
			m.want, m.wantModel = "", ""
		}
		return tea.Batch(m.send(m.shown, common.StatusMsg{Text: "context " + termsafe.Clean(msg.name) + ": " + termsafe.Clean(ch.err), Error: true}),
			m.remerge(), m.refreshHealth())
	}
	ch.root = m.build(ch.info, msg.opts)
	cmds := []tea.Cmd{tag(msg.name, ch.root.Init())}
	if m.size != nil {
		cmds = append(cmds, m.send(msg.name, *m.size))
	}
	if m.bg != nil {
		cmds = append(cmds, m.send(msg.name, *m.bg))
	}
	if m.want == msg.name {
		cmds = append(cmds, m.arrived(msg.name))
	}
	return tea.Batch(append(cmds, m.noticeSnapshots())...)
}

// arrived follows a context asked for that has just started: shown at
// once if the user has not moved on meanwhile; else the shown context
// keeps the keyboard and says how to go there, so a filter being typed
// or a dialog open is not taken from under them.
func (m *Model) arrived(name string) tea.Cmd {
	model := m.wantModel
	m.want, m.wantModel = "", ""
	if r := m.shownRoot(); m.keyed || (r != nil && r.Busy()) {
		clean := termsafe.Clean(name)
		return m.send(m.shown, common.StatusMsg{Text: clean + " is ready: :ctx " + clean})
	}
	return m.switchTo(name, model)
}
