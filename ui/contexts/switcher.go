// Package contexts is the dashboard over several config contexts, as k9s
// switches clusters: one ui/root per context, each with its own filter,
// cursor, screen stack and look back, opened (its poller started) the
// first time it is shown; :ctx lists them with their health, :ctx NAME
// switches and :ctx all shows every context's fleet in one table.
package contexts

import (
	"context"
	"fmt"
	"net/url"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/root"
)

// OpenTimeout bounds starting one context (its sources and poller).
const OpenTimeout = 30 * time.Second

// Options configure the switcher.
type Options struct {
	// Contexts are the config's, in file order.
	Contexts []config.Context
	// Current names the context shown first; First is its root's options,
	// its poller already started by the caller.
	Current string
	First   root.Options
	// Open starts a context's sources and poller and returns its root's
	// options. It is called from a command, never in Update, the first
	// time the context is shown; the caller stops what it started when
	// the dashboard ends.
	Open func(ctx context.Context, name string) (root.Options, error)
	// Done ends with the dashboard's viewer; nil: Background.
	Done context.Context
}

// child is one context: its root once opened.
type child struct {
	info    common.ContextInfo
	root    *root.Model
	opening bool
	err     string
	// seen is the snapshot last merged and counted, to notice a new one.
	seen *fleet.Snapshot
}

// snapshot is the context's present, also while its root looks back: the
// past shown there is not its health now.
func (c *child) snapshot() *fleet.Snapshot {
	if c.root == nil {
		return nil
	}
	return c.root.LiveSnapshot()
}

// Model is the switcher: a tea.Model that shows one context's root.
type Model struct {
	opts     Options
	ctx      context.Context
	children []*child
	byName   map[string]*child
	infos    []common.ContextInfo
	shown    string // a context's name, or common.AllContexts
	all      *root.Model
	// want is the context asked for while it opens; wantModel the model
	// to open there; keyed: a key was pressed since, so the user is busy
	// with what is shown and it is not taken from under them.
	want, wantModel string
	keyed           bool
	size            *tea.WindowSizeMsg
	bg              *tea.BackgroundColorMsg
}

// openedMsg says a context's sources and poller started (or failed to).
type openedMsg struct {
	name string
	opts root.Options
	err  error
}

// New builds the switcher showing opts.Current (the first context when
// it names none).
func New(opts Options) *Model {
	m := &Model{opts: opts, ctx: opts.Done, byName: map[string]*child{}}
	if m.ctx == nil {
		m.ctx = context.Background()
	}
	for _, c := range opts.Contexts {
		info := common.ContextInfo{Name: c.Name, Color: c.Color, Host: hostOf(c.Config)}
		ch := &child{info: info}
		m.children = append(m.children, ch)
		m.byName[c.Name] = ch
		m.infos = append(m.infos, info)
	}
	first := m.byName[opts.Current]
	if first == nil && len(m.children) > 0 {
		first = m.children[0]
	}
	if first != nil {
		first.root = m.build(first.info, opts.First)
		m.shown = first.info.Name
	}
	return m
}

// hostOf is a context's metrics server as the list shows it.
func hostOf(cfg *config.Config) string {
	if cfg == nil || cfg.Prometheus.URL == "" {
		return ""
	}
	u, err := url.Parse(cfg.Prometheus.URL)
	if err != nil {
		return ""
	}
	return u.Host
}

// build makes a context's root, telling it the contexts and its own.
func (m *Model) build(info common.ContextInfo, o root.Options) *root.Model {
	o.Contexts, o.ContextName, o.ContextColor = m.infos, info.Name, info.Color
	if o.Context == "" {
		o.Context = info.Host
	}
	if o.Done == nil {
		o.Done = m.opts.Done
	}
	return root.New(o)
}

// Shown is the context on screen (common.AllContexts for the merged view).
func (m *Model) Shown() string { return m.shown }

// Root is a context's root, nil until it is opened; common.AllContexts
// is the merged view's.
func (m *Model) Root(name string) *root.Model {
	if name == common.AllContexts {
		return m.all
	}
	if ch := m.byName[name]; ch != nil {
		return ch.root
	}
	return nil
}

// shownRoot is the root on screen.
func (m *Model) shownRoot() *root.Model { return m.Root(m.shown) }

// Init starts the first context's root.
func (m *Model) Init() tea.Cmd {
	r := m.shownRoot()
	if r == nil {
		return nil
	}
	return tag(m.shown, r.Init())
}

// Update routes a message to the root it belongs to.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case taggedMsg:
		return m, m.tagged(msg)
	case openedMsg:
		return m, m.opened(msg)
	case tea.WindowSizeMsg:
		m.size = &msg
		return m, m.everyRoot(msg)
	case tea.BackgroundColorMsg:
		m.bg = &msg
		return m, m.everyRoot(msg)
	case tea.KeyPressMsg, tea.PasteMsg:
		if m.want != "" {
			m.keyed = true
		}
	}
	// Keys, mouse, paste, and whatever came untagged: the shown context's.
	return m, m.send(m.shown, msg)
}

// tagged handles what a root asked of the switcher, and routes the rest
// to the root whose command made it.
func (m *Model) tagged(t taggedMsg) tea.Cmd {
	switch msg := t.msg.(type) {
	case common.SwitchContextMsg:
		return m.switchTo(msg.Name, msg.Model)
	case common.ListContextsMsg:
		return m.send(m.shown, common.OpenScreenMsg{Screen: NewList(m.shownRoot().Common(), m.health())})
	case common.AllContextsMsg:
		return m.showAll()
	}
	cmd := m.send(t.owner, t.msg)
	return tea.Batch(cmd, m.noticeSnapshots())
}

// send updates the named root and tags what it returns as its own.
func (m *Model) send(name string, msg tea.Msg) tea.Cmd {
	r := m.Root(name)
	if r == nil {
		return nil // a context closed, or never opened: nothing to tell
	}
	_, cmd := r.Update(msg)
	return tag(name, cmd)
}

// everyRoot sends msg to every opened root (sizes, the background colour).
func (m *Model) everyRoot(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, ch := range m.children {
		if ch.root != nil {
			cmds = append(cmds, m.send(ch.info.Name, msg))
		}
	}
	if m.all != nil {
		cmds = append(cmds, m.send(common.AllContexts, msg))
	}
	return tea.Batch(cmds...)
}

// switchTo shows a context, opening it first when it never was; model,
// when set, opens that model's detail there.
func (m *Model) switchTo(name, model string) tea.Cmd {
	ch := m.byName[name]
	if ch == nil {
		return m.send(m.shown, common.StatusMsg{Text: fmt.Sprintf("no context named %q", termsafe.Clean(name)), Error: true})
	}
	m.closeList()
	if ch.root == nil {
		m.want, m.wantModel, m.keyed = name, model, false
		return tea.Batch(m.open(ch), m.send(m.shown, common.StatusMsg{Text: "starting context " + termsafe.Clean(name) + "…"}))
	}
	m.want, m.wantModel = "", ""
	m.show(name)
	if model != "" {
		return m.send(name, common.OpenModelMsg{Model: model})
	}
	return nil
}

// show puts a context (or the merged view) on screen; the root it
// replaces cancels an action not yet confirmed (root.Hide).
func (m *Model) show(name string) {
	if name == m.shown {
		return
	}
	if r := m.shownRoot(); r != nil {
		r.Hide()
	}
	m.shown = name
}

// closeList takes the contexts list off the shown root, so coming back
// to it finds what was there before.
func (m *Model) closeList() {
	r := m.shownRoot()
	if r == nil {
		return
	}
	if st := r.Stack(); len(st) > 1 && st[len(st)-1] == (&List{}).Title() {
		r.Update(common.BackMsg{})
	}
}

// showAll opens the merged view, starting every context not started.
func (m *Model) showAll() tea.Cmd {
	m.closeList()
	var cmds []tea.Cmd
	for _, ch := range m.children {
		cmds = append(cmds, m.open(ch))
	}
	if m.all == nil {
		o := root.Options{
			Theme: m.opts.First.Theme, NoColor: m.opts.First.NoColor, Screens: m.opts.First.Screens,
			User: m.opts.First.User, Role: m.opts.First.Role, Refresh: m.opts.First.Refresh,
			Now: m.opts.First.Now, Thresholds: m.opts.First.Thresholds,
			Contexts: m.infos, ContextName: common.AllContexts, Merged: true, Done: m.opts.Done,
			Actions: refusing{specs: m.actionSpecs},
		}
		if c := m.opts.First.Common; c != nil {
			// The caller's Common (tests, SSH sessions) sets the look: a
			// copy of it without the first context's data or services.
			o.Common = &common.Common{Theme: c.Theme, Glyphs: c.Glyphs, Now: c.Now, Refresh: c.Refresh,
				User: c.User, Role: c.Role, KeyFingerprint: c.KeyFingerprint, Range: c.Range, Thresholds: c.Thresholds}
		}
		m.all = root.New(o)
		cmds = append(cmds, tag(common.AllContexts, m.all.Init()))
		if m.size != nil {
			cmds = append(cmds, m.send(common.AllContexts, *m.size))
		}
		if m.bg != nil {
			cmds = append(cmds, m.send(common.AllContexts, *m.bg))
		}
	}
	m.show(common.AllContexts)
	m.want, m.wantModel = "", ""
	return tea.Batch(append(cmds, m.remerge())...)
}

// actionSpecs are the keys of every opened context's actions, for the
// merged view to refuse by name.
func (m *Model) actionSpecs() []actions.Spec {
	var out []actions.Spec
	seen := map[string]bool{}
	for _, ch := range m.children {
		if ch.root == nil || ch.root.Common().Actions == nil {
			continue
		}
		for _, s := range ch.root.Common().Actions.Specs() {
			if s.Key != "" && !seen[s.Key] {
				seen[s.Key] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// noticeSnapshots follows a snapshot that arrived in any context: the
// merged view and the contexts list are redrawn from it.
func (m *Model) noticeSnapshots() tea.Cmd {
	changed := false
	for _, ch := range m.children {
		if s := ch.snapshot(); s != ch.seen {
			ch.seen, changed = s, true
		}
	}
	if !changed {
		return nil
	}
	return tea.Batch(m.remerge(), m.refreshHealth())
}

// remerge hands the merged view every context's latest fleet.
func (m *Model) remerge() tea.Cmd {
	if m.all == nil {
		return nil
	}
	for _, ch := range m.children {
		if ch.snapshot() != nil {
			return m.send(common.AllContexts, common.SnapshotMsg{Snapshot: mergeSnapshots(m.children)})
		}
	}
	return nil
}

// refreshHealth redraws the contexts list when it is on screen.
func (m *Model) refreshHealth() tea.Cmd {
	r := m.shownRoot()
	if r == nil {
		return nil
	}
	if st := r.Stack(); st[len(st)-1] != (&List{}).Title() {
		return nil
	}
	return m.send(m.shown, healthMsg{rows: m.health()})
}

// health is every context's line for the list.
func (m *Model) health() []Health {
	out := make([]Health, len(m.children))
	for i, ch := range m.children {
		out[i] = Health{Info: ch.info, Current: ch.info.Name == m.shown, Started: ch.root != nil,
			Opening: ch.opening, Err: ch.err, Snapshot: ch.snapshot()}
		if ch.root != nil {
			out[i].LookingBack = !ch.root.LookingBack().IsZero()
		}
	}
	return out
}

// View is the shown root's.
func (m *Model) View() tea.View {
	if r := m.shownRoot(); r != nil {
		return r.View()
	}
	return tea.NewView("")
}
