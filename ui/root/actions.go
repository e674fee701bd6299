package root

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/dialog"
)

// Actions (R roll back, T retrain, M silence, custom keys) act on the model of the
// screen on top: the fleet's selection, or the model a detail, drift or
// compare screen shows. The root asks for the plan, opens the dialog when
// it arrives, and owns the dialog as an overlay; the executor enforces
// the rules again whatever the screen showed.

// actionState is the root's part in actions: a plan on its way, or the
// open dialog.
type actionState struct {
	pending       string // request id of the plan asked for; "" when none
	pendingAction string
	pendingModel  string
	dialog        *dialog.Model
}

// modelScreen is a screen about one model (detail, drift, compare).
type modelScreen interface{ Model() string }

// selector is a screen listing models with one under the cursor (fleet).
type selector interface{ Selected() string }

// keyOwner is a screen that takes some global keys for itself while on
// top (the audit screen's own / filter).
type keyOwner interface{ OwnsKey(tea.KeyPressMsg) bool }

// actionModel is the model actions act on, and whether the screen on top
// is one actions apply to at all.
func (m *Model) actionModel() (string, bool) {
	switch s := m.top().(type) {
	case alertSelector:
		// The alert under the cursor names its model; the screen's own
		// (one model's alerts) when there is none.
		if model, _, _, ok := s.SelectedAlert(); ok {
			return model, true
		}
		return s.Model(), true
	case modelScreen:
		return s.Model(), true
	case selector:
		return s.Selected(), true
	}
	return "", false
}

// alertSelector is a screen of alerts (the alerts screen): actions take
// the model of the alert under the cursor, and a silence that alert.
type alertSelector interface {
	SelectedAlert() (model, version, name string, ok bool)
	Model() string
}

// specs are the configured actions; none without an executor.
func (m *Model) specs() []actions.Spec {
	if m.c.Actions == nil {
		return nil
	}
	return m.c.Actions.Specs()
}

func (m *Model) readOnly() bool {
	return m.c.ReadOnly || (m.c.Actions != nil && m.c.Actions.ReadOnly())
}

// snapshotModel is a copy of the model in the latest snapshot, nil when
// it is not there.
func (m *Model) snapshotModel(name string) *fleet.Model {
	if md := m.findModel(name); md != nil {
		c := *md
		return &c
	}
	return nil
}

// blocked says why spec cannot run on model now, in plain words; "" when
// it can. The same rules hold in the executor; this only greys the key.
func (m *Model) blocked(s actions.Spec, model string) string {
	if m.readOnly() {
		return m.readOnlyText()
	}
	if why := m.frozenBlock(); why != "" {
		return why
	}
	if s.Missing != "" {
		return termsafe.Clean(s.Missing)
	}
	title := strings.ToLower(termsafe.Clean(s.Title))
	if !s.Permits(m.c.Role) {
		role := termsafe.Clean(m.c.Role)
		if role == "" {
			role = "no role"
		}
		return fmt.Sprintf("%s needs the %s role; you have %s", title, termsafe.Clean(s.Role), role)
	}
	if model == "" {
		return ""
	}
	state := fleet.StatusUnknown
	if md := m.findModel(model); md != nil {
		state = md.Health.Status
	}
	if !s.Allowed(state) {
		return fmt.Sprintf("%s is allowed only while the model is %s; %s is %s",
			title, strings.Join(s.States, " or "), termsafe.Clean(model), state)
	}
	return termsafe.Clean(s.RolloutBlocked(m.findModel(model)))
}

// keySpecs are the actions by key: where two share a key (the rollout's
// pause and resume, on Z), the one the model's state allows now, else
// the first.
func (m *Model) keySpecs(model string) []actions.Spec {
	var out []actions.Spec
	at := map[string]int{}
	for _, s := range m.specs() {
		if s.Key == "" {
			continue // the command line's only (unsilence)
		}
		i, seen := at[s.Key]
		switch {
		case !seen:
			at[s.Key] = len(out)
			out = append(out, s)
		case m.blocked(out[i], model) != "" && m.blocked(s, model) == "":
			out[i] = s
		}
	}
	return out
}

// actionKey starts the action bound to k, if any: it asks for the plan.
// ok is false when k is no action's key here.
func (m *Model) actionKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	model, applies := m.actionModel()
	if !applies {
		return nil, false
	}
	var spec actions.Spec
	found := false
	for _, s := range m.keySpecs(model) {
		if s.Key == k.String() {
			spec, found = s, true
			break
		}
	}
	if !found {
		return nil, false
	}
	if m.readOnly() {
		m.flash.set(m.readOnlyText(), true, m.c.Now)
		return nil, true
	}
	if why := m.frozenBlock(); why != "" {
		m.flash.set(why, true, m.c.Now)
		return nil, true
	}
	if model == "" {
		m.flash.set("no model under the cursor", true, m.c.Now)
		return nil, true
	}
	if why := m.blocked(spec, model); why != "" {
		m.flash.set(why, true, m.c.Now)
		return nil, true
	}
	m.followModel(model)
	req := actions.Request{ID: actions.NewID(), Action: spec.Action, Model: model,
		Actor: m.c.Actor(), Snapshot: m.snapshotModel(model)}
	if actions.IsRolloutVerb(spec.Action) {
		req.Evidence = m.evidence(model)
	}
	if spec.Action == actions.Silence {
		req.For = actions.DefaultSilence // the dialog picks another
		if as, ok := m.top().(alertSelector); ok {
			// M on an alert silences that alert, not the whole model.
			if _, version, name, ok := as.SelectedAlert(); ok {
				req.Version, req.Alert = version, name
			}
		}
	}
	m.act.pending, m.act.pendingAction, m.act.pendingModel = req.ID, spec.Title, model
	m.flash.set(fmt.Sprintf("planning: %s %s… (esc cancels)", strings.ToLower(spec.Title), model), false, m.c.Now)
	return dialog.Plan(m.c.Actions, req), true
}

// cancelPending forgets the plan asked for, so it is dropped when it
// comes; false when none was pending.
func (m *Model) cancelPending() bool {
	if m.act.pending == "" {
		return false
	}
	m.flash.set(fmt.Sprintf("cancelled: %s %s", strings.ToLower(m.act.pendingAction), termsafe.Clean(m.act.pendingModel)), false, m.c.Now)
	m.act.pending = ""
	return true
}

// handleActionMsg routes the actions' messages; ok is false for others.
func (m *Model) handleActionMsg(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case dialog.PlannedMsg:
		return m.planned(msg), true
	case dialog.ArmedMsg:
		if d := m.act.dialog; d != nil {
			m.act.dialog, _ = d.Update(msg)
		}
		return nil, true
	case dialog.DoneMsg:
		var guard tea.Cmd
		if d := m.act.dialog; d != nil && d.ID() == msg.ID {
			m.act.dialog, guard = d.Update(msg)
		} else {
			text, isErr := dialog.ResultText(m.c.Glyphs, msg.Result)
			m.flash.set(text, isErr, m.c.Now)
		}
		// The fleet keeps its cursor on the model acted on, wherever the
		// outcome re-sorts it.
		m.followModel(msg.Result.Model)
		// Screens that show what actions did (the audit log) refresh.
		return tea.Batch(guard, m.broadcast(common.ActionDoneMsg{Result: msg.Result})), true
	case common.OpenAuditMsg:
		return m.openAudit(msg.Model), true
	}
	return nil, false
}

// planned opens the dialog for the plan asked for, or hands a re-plan to
// the open dialog. A plan nobody waits for any more is dropped.
func (m *Model) planned(msg dialog.PlannedMsg) tea.Cmd {
	if m.frozenBlock() != "" {
		// Frozen since the key was pressed: a plan of the present must
		// not open (or change) a dialog over the past.
		m.dropActionsForPast()
		return nil
	}
	if d := m.act.dialog; d != nil && d.ID() == msg.Request.ID {
		var cmd tea.Cmd
		m.act.dialog, cmd = d.Update(msg)
		return cmd
	}
	if msg.Request.ID == "" || msg.Request.ID != m.act.pending {
		return nil
	}
	m.act.pending = ""
	m.flash.clear()
	if msg.Err != nil {
		m.flash.set(fmt.Sprintf("cannot %s %s: %s", strings.ToLower(m.act.pendingAction), termsafe.Clean(msg.Request.Model), msg.Err), true, m.c.Now)
		return nil
	}
	// The dialog takes over whatever input was open.
	switch m.overlay {
	case overlayFilter:
		m.filter.close()
	case overlayPalette:
		m.palette.close()
	}
	if _, serve := m.approver(); msg.Plan.TwoPerson && !serve && msg.Plan.Refusal == "" {
		// No second operator can approve here: say so before confirming.
		msg.Plan.Refusal = actions.NeedsSecondText
	}
	d := dialog.New(m.c, msg.Request, msg.Plan)
	d.SetSize(m.lay.width, m.lay.bodyHeight)
	m.act.dialog = d
	m.overlay = overlayDialog
	return d.Init()
}

// dialogKey sends a key to the open dialog and closes it when it is done.
func (m *Model) dialogKey(msg tea.Msg) tea.Cmd {
	d, cmd := m.act.dialog.Update(msg)
	m.act.dialog = d
	if d.Closed() {
		if d.Sending() {
			m.flash.set("sent; the outcome will show here", false, m.c.Now)
		}
		m.act.dialog = nil
		m.overlay = overlayNone
	}
	return cmd
}

// openAudit pushes the audit screen over the fleet.
func (m *Model) openAudit(model string) tea.Cmd {
	m.popToRoot()
	return m.push(m.screens.Audit(m.c, model))
}

// cmdAudit is :audit [MODEL].
func (m *Model) cmdAudit(arg string) tea.Cmd {
	if arg == "" {
		return m.openAudit("")
	}
	if md := m.findModel(arg); md != nil {
		return m.openAudit(md.Name)
	}
	// A model no longer in the fleet still has its history.
	return m.openAudit(arg)
}

// actionHints are the action keys for the key line: those visible, the
// ones that cannot run now greyed; none in read-only mode.
func (m *Model) actionHints() string {
	model, applies := m.actionModel()
	if !applies || m.readOnly() {
		return ""
	}
	t := m.c.Theme
	var parts, rollout []string
	for _, s := range m.keySpecs(model) {
		if !s.Visible(false) {
			continue
		}
		off := m.blocked(s, model) != "" || model == ""
		if actions.IsRolloutVerb(s.Action) {
			// One hint for the five rollout keys, to leave room on 80
			// columns; ? lists each with why it is greyed.
			if off {
				rollout = append(rollout, t.Subtle.Faint(true).Render(termsafe.Clean(s.Key)))
			} else {
				rollout = append(rollout, t.Key.Render(termsafe.Clean(s.Key)))
			}
			continue
		}
		desc := strings.ToLower(termsafe.Clean(s.Title))
		if off {
			parts = append(parts, t.Subtle.Faint(true).Render(termsafe.Clean(s.Key)+" "+desc))
			continue
		}
		parts = append(parts, t.Key.Render(termsafe.Clean(s.Key))+" "+t.KeyDesc.Render(desc))
	}
	if len(rollout) > 0 {
		parts = append(parts, strings.Join(rollout, "")+" "+t.KeyDesc.Render("rollout"))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "  ") + "  "
}

// actionHelp lists the action keys for the help overlay, with why one
// is disabled.
func (m *Model) actionHelp() [][]key.Binding {
	model, _ := m.actionModel()
	var out []key.Binding
	for _, s := range m.keySpecs(model) {
		if !s.Visible(m.readOnly()) {
			continue
		}
		desc := strings.ToLower(termsafe.Clean(s.Title))
		if why := m.blocked(s, model); why != "" {
			desc += " (" + why + ")"
		}
		out = append(out, key.NewBinding(key.WithKeys(s.Key), key.WithHelp(termsafe.Clean(s.Key), desc)))
	}
	if len(out) == 0 {
		return nil
	}
	return [][]key.Binding{out}
}

// dialogKeys are the open dialog's keys, for the key line.
func dialogKeys() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next")),
		key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←→", "choose")),
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "press")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// ActionDialog is the model of the action dialog open, "" when none, and
// whether it takes keys yet (the type-ahead guard has ended).
func (m *Model) ActionDialog() (model string, armed bool) {
	if m.act.dialog == nil {
		return "", false
	}
	return m.act.dialog.Model(), m.act.dialog.Armed()
}
