package root

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/dialog"
	"github.com/mltop/mltop/ui/uitest"
)

// fakeApprover is a serve session's actions: the fake executor with a
// store holding what waits.
type fakeApprover struct {
	*fakeExecutor
	mu       sync.Mutex
	waiting  []actions.Pending
	approved []string
	rejected []string
	notices  []actions.Notice
}

var _ common.Approver = (*fakeApprover)(nil)

func (f *fakeApprover) Waiting() []actions.Pending {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]actions.Pending(nil), f.waiting...)
}

func (f *fakeApprover) Approve(_ context.Context, id string) actions.Result {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.approved = append(f.approved, id)
	return actions.Result{ID: id, Action: actions.Rollback, Model: "payments-fraud", Outcome: actions.Succeeded,
		Message: "alias champion now points at v7", Recorded: true}
}

func (f *fakeApprover) Reject(_ context.Context, id, _ string) actions.Result {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rejected = append(f.rejected, id)
	return actions.Result{ID: id, Action: actions.Rollback, Model: "payments-fraud", Outcome: actions.Refused, Message: "rejected; nothing was sent"}
}

func (f *fakeApprover) Notices(after int) ([]actions.Notice, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []actions.Notice
	for _, n := range f.notices {
		if n.Seq > after {
			out = append(out, n)
		}
	}
	return out, len(f.notices)
}

// olgasRollback is a rollback of payments-fraud olga asked for.
func olgasRollback() actions.Pending {
	return actions.Pending{
		Request: actions.Request{ID: "mltop-00000000000000f1", Action: actions.Rollback, Model: "payments-fraud",
			Reason: "error spike since v8", Actor: actions.Actor{User: "olga", Role: "operator"}},
		Title: "Roll back", Changes: []string{"alias champion: 8 → 7"}, Meaning: "traffic returns to v7 at once",
		Requested: uitest.Now.Add(-time.Minute), Expires: uitest.Now.Add(14 * time.Minute),
	}
}

func approvalRoot(t *testing.T, w, h int, user, role string) (*Model, *fakeApprover) {
	t.Helper()
	fa := &fakeApprover{fakeExecutor: newFakeExecutor(), waiting: []actions.Pending{olgasRollback()}}
	c := newTestCommon("dark")
	c.User, c.Role = user, role
	m := newRoot(t, "dark", w, h, Options{Common: c, Actions: fa})
	deliver(m, m.pollApprovals())
	return m, fa
}

func TestGoldenApprovals(t *testing.T) {
	for _, sz := range uitest.Sizes {
		name := fmt.Sprintf("approvals-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			m, _ := approvalRoot(t, sz[0], sz[1], "ana", "operator")
			if top := ansi.Strip(m.statusLine()); !strings.Contains(top, "1 approval waiting — :approvals") {
				t.Errorf("status line lacks the notice: %q", top)
			}
			uitest.Golden(t, name+"-notice", view(m))
			press(m, ":")
			typeText(m, "approvals")
			press(m, "enter")
			if m.overlay != overlayApprovals {
				t.Fatalf(":approvals did not open the list; flash %q", m.flash.text)
			}
			got := view(m)
			assertFits(t, got, sz[0], sz[1])
			text := ansi.Strip(got)
			for _, want := range []string{"Roll back payments-fraud — asked by olga", "alias champion: 8 → 7", "reason: error spike since v8", "a approve"} {
				if !strings.Contains(text, want) {
					t.Errorf("list lacks %q:\n%s", want, text)
				}
			}
			uitest.Golden(t, name, got)
		})
	}
}

func TestApproveFromTheList(t *testing.T) {
	m, fa := approvalRoot(t, 120, 40, "ana", "operator")
	press(m, ":")
	typeText(m, "approvals")
	press(m, "enter")
	deliver(m, press(m, "a"))
	if len(fa.approved) != 1 || fa.approved[0] != "mltop-00000000000000f1" {
		t.Fatalf("approved %v", fa.approved)
	}
	if !strings.Contains(m.flash.text, "done") {
		t.Errorf("outcome not shown: %q", m.flash.text)
	}
}

func TestOwnAndViewerCannotApprove(t *testing.T) {
	for _, c := range []struct{ user, role, why string }{
		{"olga", "operator", "a second operator must approve"},
		{"vera", "viewer", "needs the operator role"},
	} {
		m, fa := approvalRoot(t, 120, 40, c.user, c.role)
		press(m, ":")
		typeText(m, "approvals")
		press(m, "enter")
		if text := ansi.Strip(view(m)); !strings.Contains(text, c.why) {
			t.Errorf("%s: the list does not say %q:\n%s", c.user, c.why, text)
		}
		deliver(m, press(m, "a"))
		if len(fa.approved) != 0 || !strings.Contains(m.flash.text, c.why) {
			t.Errorf("%s approved: %v, flash %q", c.user, fa.approved, m.flash.text)
		}
	}
}

func TestRequesterHearsTheOutcome(t *testing.T) {
	m, fa := approvalRoot(t, 120, 40, "olga", "operator")
	fa.mu.Lock()
	fa.waiting = nil
	fa.notices = append(fa.notices, actions.Notice{Seq: 1, To: "olga", ID: "mltop-00000000000000f1", Model: "payments-fraud",
		Title: "Roll back", State: audit.Rejected, By: "ben", Reason: "wait for the backfill"})
	fa.mu.Unlock()
	deliver(m, m.pollApprovals())
	if want := "roll back of payments-fraud rejected by ben; nothing was sent (wait for the backfill)"; m.flash.text != want {
		t.Errorf("flash %q, want %q", m.flash.text, want)
	}
	if strings.Contains(ansi.Strip(m.statusLine()), "approval") {
		t.Error("the notice stays with nothing waiting")
	}
}

// The local dashboard has no second operator: the dialog says so, and
// what it refuses is never sent.
func TestLocalDashboardRefusesTwoPerson(t *testing.T) {
	m, _ := actionRoot(t, 120, 40, nil)
	for _, msg := range uitest.Run(press(m, "R")) {
		if p, ok := msg.(dialog.PlannedMsg); ok {
			p.Plan.TwoPerson = true
			msg = p
		}
		m.Update(msg)
	}
	if m.act.dialog == nil {
		t.Fatalf("no dialog; flash %q", m.flash.text)
	}
	if text := ansi.Strip(view(m)); !strings.Contains(text, "needs a second operator: run it under mltop serve, or approve it") {
		t.Errorf("the dialog does not say a second operator is needed:\n%s", text)
	}
}
