package dialog

import (
	"context"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/ui/common"
)

// PlanTimeout bounds a plan: the executor limits its registry reads to the
// action's own time limit (30 s by default); this is the backstop.
const PlanTimeout = 45 * time.Second

// defaultLimit is an action's time limit when the plan does not say.
const defaultLimit = 30 * time.Second

// PlannedMsg carries the plan asked for by Plan, with the request it was
// made for (its ID names the dialog, To the version picked).
type PlannedMsg struct {
	Request actions.Request
	Plan    actions.Plan
	Err     error
}

// DoneMsg carries the outcome of the request with id ID (the result's own
// ID differs when the executor refused a repeated id).
type DoneMsg struct {
	ID     string
	Result actions.Result
}

// Plan is the command that asks a for the plan of req, off the UI goroutine.
func Plan(a common.Actions, req actions.Request) tea.Cmd {
	if a == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), PlanTimeout)
		defer cancel()
		p, err := a.Plan(ctx, req)
		return PlannedMsg{Request: req, Plan: p, Err: err}
	}
}

// Execute is the command that sends req, once. limit is the action's time
// limit; the executor applies it to each of its steps (reading the
// registry, sending), so the backstop allows both and a margin.
func Execute(a common.Actions, req actions.Request, limit time.Duration) tea.Cmd {
	if a == nil {
		return func() tea.Msg {
			return DoneMsg{ID: req.ID, Result: actions.Result{ID: req.ID, Action: req.Action, Model: req.Model,
				Outcome: actions.Refused, Message: "no action executor in this session; nothing was sent"}}
		}
	}
	if limit <= 0 {
		limit = defaultLimit
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*limit+5*time.Second)
		defer cancel()
		return DoneMsg{ID: req.ID, Result: a.Execute(ctx, req)}
	}
}

// newInput is a one-line text input in the theme's colours.
func newInput(c *common.Common, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = 500
	// ctrl+v would read the clipboard of the machine mltop runs on: the
	// server's, for an SSH session. The terminal's own paste still works.
	in.KeyMap.Paste.SetEnabled(false)
	t := c.Theme
	s := textinput.DefaultStyles(t.Palette.Dark)
	// Underlined, the input's padding draws the blank to fill in.
	state := textinput.StyleState{Text: t.Input, Placeholder: t.Subtle.Underline(true), Suggestion: t.Subtle, Prompt: t.Key}
	s.Focused, s.Blurred = state, state
	s.Cursor.Blink = false
	s.Cursor.Color = t.Palette.Accent
	if t.NoColor {
		s.Cursor.Color = nil
	}
	in.SetStyles(s)
	return in
}
