// Package dialog is the confirmation dialog of an action (rollback,
// retrain, a custom action). It shows what the plan changes and what that
// means, takes the version to return to, the reason and the typed model
// name, and sends exactly one request once confirmed; the outcome then
// replaces its content. It does no I/O: planning and executing run in
// tea.Cmds through common.Actions (see Plan and Execute).
//
// The safety rules: focus starts in the reason field, never on the confirm
// button; every key is ignored until ArmedMsg arrives, ArmDelay after
// opening, so keys typed ahead over a slow link cannot confirm it; the
// confirm button is reached with tab or the arrows, or with enter in the
// typed-name field once the name is right, and only while the inputs are
// valid; after one confirmation further confirmations are ignored. The
// outcome, when it replaces the dialog, is guarded the same way: keys are
// ignored for ArmDelay after it appears, so an enter meant for the dialog
// does not dismiss the outcome unread.
package dialog

import (
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/ui/common"
)

// ArmDelay is how long after opening, and after the outcome appears, the
// dialog ignores every key.
const ArmDelay = 400 * time.Millisecond

// phase is where the dialog stands.
type phase int

const (
	editing phase = iota // taking the inputs
	sending              // confirmed; waiting for the outcome
	done                 // the outcome is shown
)

// field is what has the focus.
type field int

const (
	fieldPicker field = iota
	fieldReason
	fieldTyped
	fieldCancel
	fieldConfirm
)

// Model is one open dialog, for one planned request.
type Model struct {
	c    *common.Common
	req  actions.Request // as planned: ID, action, model, actor, snapshot
	plan actions.Plan

	armed  bool
	closed bool
	phase  phase
	focus  field

	pick       int    // index into plan.Candidates, or a silence's SilenceDurations
	replanning bool   // a plan for the picked version is on its way
	planErr    string // why the picked version could not be planned

	reason textinput.Model
	typed  textinput.Model

	result actions.Result
	width  int
	height int
}

// New opens a dialog for plan, which was made for req (Plan's PlannedMsg
// carries both). Run Init: it arms the dialog after ArmDelay.
func New(c *common.Common, req actions.Request, plan actions.Plan) *Model {
	req.ID = plan.ID
	if plan.To != "" {
		req.To = plan.To
	}
	m := &Model{c: c, req: req, plan: plan, pick: -1}
	m.pick = slices.IndexFunc(plan.Candidates, func(c actions.Candidate) bool { return c.Version == plan.To })
	if plan.Action == actions.Silence {
		m.pick = m.silencePick()
	}
	hint := "why (optional): recorded in the audit log"
	if plan.ReasonRequired {
		hint = "why (required): recorded in the audit log"
	}
	m.reason = newInput(c, hint)
	m.typed = newInput(c, "")
	// The caret starts where the first thing to type goes; enter there
	// moves on, so the opening key cannot confirm anything.
	m.setFocus(fieldReason)
	return m
}

// ArmedMsg ends the type-ahead guard of the dialog for request ID.
type ArmedMsg struct{ ID string }

// Init starts the type-ahead guard.
func (m *Model) Init() tea.Cmd {
	id := m.req.ID
	return tea.Tick(ArmDelay, func(time.Time) tea.Msg { return ArmedMsg{ID: id} })
}

// ID is the request id the dialog confirms.
func (m *Model) ID() string { return m.req.ID }

// Model is the model acted on.
func (m *Model) Model() string { return m.req.Model }

// Closed reports whether the dialog was closed (cancelled, or dismissed).
func (m *Model) Closed() bool { return m.closed }

// Armed reports whether keys are taken.
func (m *Model) Armed() bool { return m.armed }

// Editing reports whether the dialog is still taking inputs: nothing
// was sent yet.
func (m *Model) Editing() bool { return m.phase == editing }

// Sending reports whether the request was sent and no outcome came yet.
func (m *Model) Sending() bool { return m.phase == sending }

// Capturing reports whether a text input has the focus (letters are text).
func (m *Model) Capturing() bool {
	return m.phase == editing && (m.focus == fieldReason || m.focus == fieldTyped)
}

// SetSize is the body the dialog is drawn over.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	iw := max(m.innerWidth()-labelWidth, 10)
	m.reason.SetWidth(iw - 2)
	m.typed.SetWidth(min(max(len([]rune(m.plan.Model))+2, 16), iw-1))
}

// Update handles keys, pastes, the arming tick, re-plans and the outcome.
func (m *Model) Update(msg tea.Msg) (*Model, tea.Cmd) {
	switch msg := msg.(type) {
	case ArmedMsg:
		if msg.ID == m.req.ID {
			m.armed = true
		}
	case PlannedMsg:
		m.replanned(msg)
	case DoneMsg:
		if msg.ID == m.req.ID && m.phase == sending {
			m.phase, m.result = done, msg.Result
			// The outcome is guarded like the opening: an enter pressed
			// as it appears was meant for something else.
			m.armed = false
			return m, m.Init()
		}
	case tea.KeyPressMsg:
		if !m.armed {
			return m, nil // typed ahead, or typed too fast to be meant for the dialog
		}
		return m, m.key(msg)
	case tea.PasteMsg:
		if m.armed && m.Capturing() {
			return m, m.edit(msg)
		}
	}
	return m, nil
}

// replanned takes a plan for the version picked, if it is still the one.
func (m *Model) replanned(msg PlannedMsg) {
	if msg.Request.ID != m.req.ID || m.phase != editing || !m.current(msg.Request) {
		return
	}
	m.replanning = false
	if msg.Err != nil {
		m.planErr = msg.Err.Error()
		return
	}
	m.planErr = ""
	cands := m.plan.Candidates
	m.plan = msg.Plan
	if len(m.plan.Candidates) == 0 {
		m.plan.Candidates = cands
	}
	if !m.isSilence() {
		m.pick = slices.IndexFunc(m.plan.Candidates, func(c actions.Candidate) bool { return c.Version == msg.Request.To })
	}
}

func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	switch m.phase {
	case done:
		switch k.String() {
		case "esc", "enter", "q", "space":
			m.closed = true
		}
		return nil
	case sending:
		// The request is out: closing only hides the dialog, and the
		// outcome goes to the status line.
		if k.String() == "esc" {
			m.closed = true
		}
		return nil
	}
	switch k.String() {
	case "esc":
		m.closed = true
		return nil
	case "tab":
		m.move(1)
		return nil
	case "shift+tab":
		m.move(-1)
		return nil
	case "enter":
		return m.enter()
	case "up":
		m.moveRow(-1)
		return nil
	case "down":
		m.moveRow(1)
		return nil
	case "left", "right":
		return m.sideways(k.String() == "right")
	}
	if m.Capturing() {
		return m.edit(k)
	}
	if m.focus == fieldPicker {
		switch k.String() {
		case "h":
			return m.sideways(false)
		case "l":
			return m.sideways(true)
		}
	}
	return nil
}

// enter acts on the focused field: Cancel closes, the confirm button
// confirms, and in a field enter moves on: onto the confirm button only
// from the typed name once every input is valid (one more deliberate
// enter sends), else never past Cancel.
func (m *Model) enter() tea.Cmd {
	switch m.focus {
	case fieldCancel:
		m.closed = true
		return nil
	case fieldConfirm:
		return m.confirm()
	case fieldTyped:
		if m.canConfirm() {
			m.setFocus(fieldConfirm)
			return nil
		}
	}
	fs := m.fields()
	i := slices.Index(fs, m.focus)
	if i+1 < len(fs) && fs[i+1] != fieldConfirm {
		m.setFocus(fs[i+1])
	} else {
		m.setFocus(fieldCancel)
	}
	return nil
}

// sideways is left/right: the version in the picker, the cursor in a text
// input, the other button.
func (m *Model) sideways(right bool) tea.Cmd {
	switch m.focus {
	case fieldPicker:
		step := -1
		if right {
			step = 1
		}
		return m.pickAt(m.pick + step)
	case fieldCancel, fieldConfirm:
		if right && m.focus == fieldCancel && m.canConfirm() {
			m.setFocus(fieldConfirm)
		} else if !right {
			m.setFocus(fieldCancel)
		}
		return nil
	}
	k := tea.KeyPressMsg{Code: tea.KeyLeft}
	if right {
		k = tea.KeyPressMsg{Code: tea.KeyRight}
	}
	return m.edit(k)
}

// pickAt chooses the version (or silence length) at i and asks for its
// plan.
func (m *Model) pickAt(i int) tea.Cmd {
	n := len(m.choiceLabels())
	if n == 0 || i < 0 || i >= n || i == m.pick {
		return nil
	}
	m.pick = i
	m.replanning = true
	req := m.req
	req.Context = m.plan.Context // a re-plan stays in the plan's context
	if m.isSilence() {
		m.req.For = actions.SilenceDurations[i]
		req.For = m.req.For
	} else {
		req.To = m.chosen()
	}
	return Plan(m.c.Actions, req)
}

// chosen is the version picked, else the plan's target.
func (m *Model) chosen() string {
	if m.pick >= 0 && m.pick < len(m.plan.Candidates) {
		return m.plan.Candidates[m.pick].Version
	}
	return m.plan.To
}

// edit sends a key or paste to the focused input.
func (m *Model) edit(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch m.focus {
	case fieldReason:
		m.reason, cmd = m.reason.Update(msg)
	case fieldTyped:
		m.typed, cmd = m.typed.Update(msg)
	}
	return cmd
}

// missing lists what still keeps the confirm button disabled, in plain
// words; empty when it may be pressed.
func (m *Model) missing() []string {
	var out []string
	switch {
	case m.replanning:
		out = append(out, "wait for the plan of "+m.chosenLabel())
	case m.planErr != "":
		out = append(out, "pick a version that can be planned")
	case m.plan.Refusal != "":
		out = append(out, "it is refused")
	}
	if m.plan.ReasonRequired && strings.TrimSpace(m.reason.Value()) == "" {
		out = append(out, "type a reason")
	}
	if m.plan.TypedName && strings.TrimSpace(m.typed.Value()) != m.plan.Model {
		out = append(out, "type the model name")
	}
	return out
}

func (m *Model) canConfirm() bool { return m.phase == editing && len(m.missing()) == 0 }

// confirm sends the one request; a second confirmation finds the dialog
// no longer editing and does nothing.
func (m *Model) confirm() tea.Cmd {
	if !m.canConfirm() {
		return nil
	}
	m.phase = sending
	req := m.req
	req.Context = m.plan.Context // another context's executor refuses it
	req.To = ""
	if m.plan.Action == actions.Rollback {
		req.To = m.chosen()
	}
	req.Reason = strings.TrimSpace(m.reason.Value())
	req.Confirm = strings.TrimSpace(m.typed.Value())
	return Execute(m.c.Actions, req, m.plan.Timeout)
}
