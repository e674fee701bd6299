package root

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/dialog"
)

// Under `mltop serve`, an action on a model under actions.two_person
// waits for a second operator. Every session polls the server's store
// each second (off the UI goroutine), says on the status line how many
// wait, lists them on :approvals, where another operator approves (a) or
// rejects (x); the requester hears what became of theirs.

// approvalState is the root's part in approvals.
type approvalState struct {
	waiting []actions.Pending
	seq     int  // the last notice seen
	started bool // the first poll came: notices before it are old
	polling bool
	cursor  int
}

// approvalsMsg is one poll of the store.
type approvalsMsg struct {
	waiting []actions.Pending
	notices []actions.Notice
	seq     int
}

// approvalTimeout bounds an approval: the approved action's own limit
// applies inside it.
const approvalTimeout = 2 * dialog.PlanTimeout

func (m *Model) approver() (common.Approver, bool) {
	ap, ok := m.c.Actions.(common.Approver)
	return ap, ok
}

// pollApprovals asks the store what waits; nil outside serve, or while a
// poll is out.
func (m *Model) pollApprovals() tea.Cmd {
	ap, ok := m.approver()
	if !ok || m.appr.polling {
		return nil
	}
	m.appr.polling = true
	after := m.appr.seq
	return func() tea.Msg {
		w := ap.Waiting()
		ns, seq := ap.Notices(after)
		return approvalsMsg{waiting: w, notices: ns, seq: seq}
	}
}

// approvalsArrived keeps the list and tells this user what became of
// their requests.
func (m *Model) approvalsArrived(msg approvalsMsg) {
	m.appr.polling = false
	m.appr.waiting = msg.waiting
	m.appr.cursor = min(m.appr.cursor, max(len(msg.waiting)-1, 0))
	if m.appr.started {
		for _, n := range msg.notices {
			text, isErr := noticeText(n)
			m.flash.set(text, isErr, m.c.Now)
			if d := m.act.dialog; d != nil && d.ID() == n.ID {
				// The dialog that said "waiting" is done with: the
				// outcome shows on the key line.
				m.act.dialog, m.overlay = nil, overlayNone
			}
		}
	}
	m.appr.started, m.appr.seq = true, msg.seq
	if m.overlay == overlayApprovals && len(msg.waiting) == 0 {
		m.overlay = overlayNone
	}
}

func noticeText(n actions.Notice) (string, bool) {
	what := strings.ToLower(termsafe.Clean(n.Title)) + " of " + termsafe.Clean(n.Model)
	switch n.State {
	case audit.Approved:
		text := fmt.Sprintf("%s approved by %s: %s", what, termsafe.Clean(n.By), termsafe.Clean(string(n.Result.Outcome)))
		if n.Result.Message != "" {
			text += " — " + termsafe.Clean(n.Result.Message)
		}
		return text, n.Result.Outcome != actions.Succeeded
	case audit.Rejected:
		text := fmt.Sprintf("%s rejected by %s; nothing was sent", what, termsafe.Clean(n.By))
		if n.Reason != "" {
			text += " (" + termsafe.Clean(n.Reason) + ")"
		}
		return text, true
	}
	return what + ": no second operator approved it in time; nothing was sent", true
}

// approvalsNotice is the status line's "1 approval waiting — :approvals".
func (m *Model) approvalsNotice() string {
	n := len(m.appr.waiting)
	if n == 0 {
		return ""
	}
	word := "approvals"
	if n == 1 {
		word = "approval"
	}
	return m.c.Theme.Warn.Render(fmt.Sprintf("%d %s waiting — :approvals", n, word))
}

// cmdApprovals is :approvals.
func (m *Model) cmdApprovals(string) tea.Cmd {
	if _, ok := m.approver(); !ok {
		m.flash.set("approvals are kept by mltop serve: none wait in this dashboard", false, m.c.Now)
		return nil
	}
	if len(m.appr.waiting) == 0 {
		m.flash.set("no action waits for approval", false, m.c.Now)
		return nil
	}
	m.overlay = overlayApprovals
	return nil
}

// approvalsKey handles the list's keys: move, approve, reject, close.
func (m *Model) approvalsKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "esc", "q":
		m.overlay = overlayNone
		return nil
	case "down", "j":
		m.appr.cursor = min(m.appr.cursor+1, max(len(m.appr.waiting)-1, 0))
		return nil
	case "up", "k":
		m.appr.cursor = max(m.appr.cursor-1, 0)
		return nil
	case "a", "x":
	default:
		return nil
	}
	ap, ok := m.approver()
	if !ok || len(m.appr.waiting) == 0 {
		return nil
	}
	p := m.appr.waiting[m.appr.cursor]
	if why := m.cannotDecide(p, k.String() == "a"); why != "" {
		m.flash.set(why, true, m.c.Now)
		return nil
	}
	m.overlay = overlayNone
	id := p.Request.ID
	if k.String() == "a" {
		m.flash.set(fmt.Sprintf("approved: sending %s of %s…", strings.ToLower(termsafe.Clean(p.Title)), termsafe.Clean(p.Request.Model)), false, m.c.Now)
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), approvalTimeout)
			defer cancel()
			return dialog.DoneMsg{ID: id, Result: ap.Approve(ctx, id)}
		}
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), dialog.PlanTimeout)
		defer cancel()
		return dialog.DoneMsg{ID: id, Result: ap.Reject(ctx, id, "rejected from the approvals list by "+m.c.User)}
	}
}

// cannotDecide says why this user may not approve (or reject) p; the
// store enforces the same.
func (m *Model) cannotDecide(p actions.Pending, approve bool) string {
	if m.readOnly() {
		return "read-only: actions are disabled"
	}
	if why := m.frozenBlock(); why != "" {
		return why
	}
	for _, s := range m.specs() {
		if s.Action == p.Request.Action && !s.Permits(m.c.Role) {
			return fmt.Sprintf("deciding on %s needs the %s role; you have %s", strings.ToLower(termsafe.Clean(s.Title)), termsafe.Clean(s.Role), termsafe.Clean(or(m.c.Role, "no role")))
		}
	}
	if approve && p.Request.Actor.User == m.c.User {
		return "you asked for it: a second operator must approve it"
	}
	return ""
}

func expiresIn(d time.Duration) string {
	if d < time.Minute {
		return "expires in under a minute"
	}
	return fmt.Sprintf("expires in %dm", int((d+time.Minute-1)/time.Minute))
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// approvalsBox is the list: each request with who asked, why, what it
// changes and until when it waits.
func (m *Model) approvalsBox(w int) string {
	t := m.c.Theme
	inner := max(min(w-4, 76), 20)
	lines := []string{t.Title.Render("Waiting for a second operator"), ""}
	for i, p := range m.appr.waiting {
		mark := "  "
		head := fmt.Sprintf("%s %s — asked by %s, %s",
			termsafe.Clean(p.Title), termsafe.Clean(p.Request.Model), termsafe.Clean(p.Request.Actor.User), expiresIn(p.Expires.Sub(m.c.Now)))
		if i == m.appr.cursor {
			mark = t.Key.Render("› ")
			head = t.Selected.Render(head)
		}
		lines = append(lines, mark+head)
		for _, c := range p.Changes {
			lines = append(lines, "    "+termsafe.Clean(c))
		}
		if p.Meaning != "" {
			lines = append(lines, "    "+t.Muted.Render(termsafe.Clean(p.Meaning)))
		}
		if p.Request.Reason != "" {
			lines = append(lines, "    reason: "+termsafe.Clean(p.Request.Reason))
		}
	}
	lines = append(lines, "")
	p := m.appr.waiting[m.appr.cursor]
	switch why := m.cannotDecide(p, true); {
	case why != "" && m.cannotDecide(p, false) != "":
		lines = append(lines, t.Subtle.Render(why)+"   "+t.Key.Render("esc")+" close")
	case why != "":
		lines = append(lines, t.Subtle.Render(why)+"   "+t.Key.Render("x")+" reject  "+t.Key.Render("esc")+" close")
	default:
		lines = append(lines, t.Key.Render("a")+" approve and send  "+t.Key.Render("x")+" reject  "+t.Key.Render("↑↓")+" choose  "+t.Key.Render("esc")+" close")
	}
	return t.Dialog.Render(strings.Join(fitCut(strings.Join(lines, "\n"), inner), "\n"))
}
