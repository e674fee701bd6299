package dialog

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/ui/uitest"
)

func TestFocusStartsInReasonAndEnterSendsNothing(t *testing.T) {
	m, fa := open(t, rollbackPlan(), 80, 22)
	if m.focus != fieldReason || !m.Capturing() {
		t.Fatalf("focus starts on %v, want the reason field taking text", m.focus)
	}
	// Enters from the opening focus walk the fields and end on Cancel,
	// never on the confirm button, and nothing is sent.
	var cmds []tea.Cmd
	for _, want := range []field{fieldTyped, fieldCancel} {
		cmds = append(cmds, press(m, "enter")...)
		if m.focus != want {
			t.Fatalf("enter went to %v, want %v", m.focus, want)
		}
	}
	cmds = append(cmds, press(m, "enter")...)
	if !m.Closed() {
		t.Fatal("enter on Cancel left the dialog open")
	}
	if msgs := run(cmds...); len(msgs) != 0 || len(fa.executions()) != 0 {
		t.Fatalf("cancelling sent something: %v, %d executions", msgs, len(fa.executions()))
	}
}

func TestRetrainOpensInReason(t *testing.T) {
	m, _ := open(t, retrainPlan(), 80, 22)
	if m.focus != fieldReason {
		t.Fatalf("focus starts on %v, want the reason field", m.focus)
	}
	typeText(m, "drift on tenure")
	if got := m.reason.Value(); got != "drift on tenure" {
		t.Errorf("typing at once went to the reason as %q", got)
	}
	// With no typed name to confirm, enter in the reason stops on Cancel.
	press(m, "enter")
	if m.focus != fieldCancel {
		t.Errorf("enter in the reason went to %v, want Cancel", m.focus)
	}
}

func TestKeysIgnoredUntilArmed(t *testing.T) {
	c := uitest.Common("dark")
	fa := &fakeActions{}
	c.Actions = fa
	plan := rollbackPlan()
	plan.TypedName, plan.ReasonRequired = false, false // nothing but the guard stands in the way
	m := New(c, actions.Request{Action: plan.Action, Model: plan.Model}, plan)
	m.SetSize(80, 22)

	// The arming tick fires ArmDelay after opening; its time is the fake
	// clock here: the test decides when it arrives.
	init := m.Init()
	if init == nil {
		t.Fatal("Init returned no arming tick")
	}
	// Type-ahead: esc, tab to confirm, enter — all before the tick.
	press(m, "tab", "enter", "esc", "right", "enter")
	if m.Closed() || m.Sending() || m.focus != fieldReason {
		t.Fatalf("keys before arming took effect: closed %v, sending %v, focus %v", m.Closed(), m.Sending(), m.focus)
	}
	m.Update(tea.PasteMsg{Content: "payments-fraud"})
	if m.typed.Value() != "" || m.reason.Value() != "" {
		t.Fatal("a paste before arming was taken")
	}
	m.Update(ArmedMsg{ID: "mltop-someone-else"})
	if m.Armed() {
		t.Fatal("another dialog's tick armed this one")
	}
	m.Update(ArmedMsg{ID: plan.ID})
	if !m.Armed() {
		t.Fatal("the arming tick did not arm the dialog")
	}
	press(m, "tab")
	if m.focus != fieldCancel {
		t.Fatalf("after arming, tab from the reason went to %v, want Cancel", m.focus)
	}
	press(m, "tab")
	if m.focus != fieldConfirm {
		t.Fatalf("after arming, tab from Cancel went to %v, want the confirm button", m.focus)
	}
	if len(fa.executions()) != 0 {
		t.Fatal("executed before any confirmation")
	}
}

func TestArmingTickWaitsArmDelay(t *testing.T) {
	if ArmDelay < 300*time.Millisecond || ArmDelay > time.Second {
		t.Fatalf("ArmDelay %v: want about 400ms", ArmDelay)
	}
}

func TestConfirmNeedsReasonAndTypedName(t *testing.T) {
	m, fa := open(t, rollbackPlan(), 80, 22)
	press(m, "tab")
	if m.focus == fieldConfirm {
		t.Fatal("the confirm button is reachable with no reason and no typed name")
	}
	if got := uitest.Plain(m); !strings.Contains(got, "type a reason, type the model name") {
		t.Errorf("the dialog does not say what is missing:\n%s", got)
	}
	focusOn(t, m, fieldReason)
	typeText(m, "error spike since v8")
	focusOn(t, m, fieldCancel)
	press(m, "right")
	if m.focus == fieldConfirm {
		t.Fatal("confirm reachable without the typed name")
	}
	focusOn(t, m, fieldTyped)
	typeText(m, "payments-frau")
	if !strings.Contains(uitest.Plain(m), "not payments-fraud") {
		t.Errorf("a wrong name is not flagged:\n%s", uitest.Plain(m))
	}
	focusOn(t, m, fieldCancel)
	press(m, "right")
	if m.focus == fieldConfirm {
		t.Fatal("confirm reachable with a wrong typed name")
	}
	// enter after a wrong name moves on to Cancel, not to the confirm button.
	focusOn(t, m, fieldTyped)
	press(m, "enter")
	if m.focus != fieldCancel {
		t.Fatalf("enter after a wrong typed name went to %v, want Cancel", m.focus)
	}
	focusOn(t, m, fieldTyped)
	typeText(m, "d")
	// enter after the right name moves onto the confirm button, and sends
	// nothing: one more deliberate enter does.
	if cmds := press(m, "enter"); m.focus != fieldConfirm || len(run(cmds...)) != 0 || len(fa.executions()) != 0 {
		t.Fatalf("enter after the right typed name went to %v (executions %d), want the confirm button and nothing sent",
			m.focus, len(fa.executions()))
	}
	press(m, "left")
	if m.focus != fieldCancel {
		t.Fatalf("left from the confirm button went to %v, want Cancel", m.focus)
	}
	press(m, "right")
	if m.focus != fieldConfirm {
		t.Fatalf("with valid inputs right from Cancel went to %v, want the confirm button", m.focus)
	}
	msgs := run(press(m, "enter")...)
	if len(msgs) != 1 {
		t.Fatalf("confirming gave %d messages, want one outcome", len(msgs))
	}
	ex := fa.executions()
	if len(ex) != 1 {
		t.Fatalf("%d executions, want 1", len(ex))
	}
	want := actions.Request{ID: testID, Action: "rollback", Model: "payments-fraud", To: "7",
		Reason: "error spike since v8", Confirm: "payments-fraud"}
	got := ex[0]
	if got.ID != want.ID || got.Action != want.Action || got.Model != want.Model || got.To != want.To ||
		got.Reason != want.Reason || got.Confirm != want.Confirm {
		t.Errorf("executed %+v, want %+v", got, want)
	}
	if got.Actor.User != "ana" || got.Actor.Role != "operator" || got.Snapshot == nil {
		t.Errorf("request lacks the actor or the model's snapshot: %+v", got)
	}
}

func TestReasonOptionalWhenNotRequired(t *testing.T) {
	p := retrainPlan()
	p.ReasonRequired = false
	m, _ := open(t, p, 80, 22)
	focusOn(t, m, fieldCancel)
	press(m, "tab")
	if m.focus != fieldConfirm {
		t.Fatalf("without a required reason tab from Cancel went to %v, want Retrain", m.focus)
	}
}

func TestRepeatedEnterExecutesOnce(t *testing.T) {
	m, fa := open(t, retrainPlan(), 80, 22)
	focusOn(t, m, fieldReason)
	typeText(m, "drift on tenure")
	focusOn(t, m, fieldConfirm)
	cmds := press(m, "enter", "enter", "enter", "space", "enter")
	if !m.Sending() {
		t.Fatal("the dialog does not show it is sending")
	}
	if !strings.Contains(uitest.Plain(m), "sending…") {
		t.Errorf("no sending… after confirming:\n%s", uitest.Plain(m))
	}
	msgs := run(cmds...)
	if n := len(fa.executions()); n != 1 {
		t.Fatalf("five presses gave %d Execute calls, want exactly 1", n)
	}
	for _, msg := range msgs {
		m.Update(msg)
	}
	if !strings.Contains(uitest.Plain(m), "done") {
		t.Errorf("the outcome does not replace the dialog:\n%s", uitest.Plain(m))
	}
	m.Update(ArmedMsg{ID: testID}) // the outcome's own guard (TestOutcomeGuard)
	run(press(m, "enter", "enter")...)
	if n := len(fa.executions()); n != 1 {
		t.Fatalf("enter on the outcome executed again: %d calls", n)
	}
	if !m.Closed() {
		t.Error("enter on the outcome does not close it")
	}
}

func TestEscWhileSendingHides(t *testing.T) {
	m, _ := open(t, retrainPlan(), 80, 22)
	focusOn(t, m, fieldReason)
	typeText(m, "drift")
	focusOn(t, m, fieldConfirm)
	press(m, "enter")
	press(m, "esc")
	if !m.Closed() {
		t.Fatal("esc while sending does not hide the dialog")
	}
}

func TestRefusalDisablesConfirm(t *testing.T) {
	p := rollbackPlan()
	p.Refusal = "another action on payments-fraud is in progress (request mltop-1234)"
	m, fa := open(t, p, 80, 22)
	focusOn(t, m, fieldReason)
	typeText(m, "spike")
	focusOn(t, m, fieldTyped)
	typeText(m, "payments-fraud")
	for range 6 {
		press(m, "tab")
		if m.focus == fieldConfirm {
			t.Fatal("the confirm button is reachable despite the refusal")
		}
	}
	press(m, "enter")
	if len(fa.executions()) != 0 {
		t.Fatal("a refused plan was executed")
	}
	if !strings.Contains(uitest.Plain(m), "another action on payments-fraud is in") {
		t.Errorf("the refusal is not shown:\n%s", uitest.Plain(m))
	}
}

func TestPickingAVersionReplans(t *testing.T) {
	p := rollbackPlan()
	m, fa := open(t, p, 120, 38)
	six := p
	six.To, six.Changes, six.Meaning = "6", []string{"alias champion: 8 → 6"}, "traffic returns to v6 at once"
	fa.plans["6"] = six
	focusOn(t, m, fieldPicker)
	cmds := press(m, "right")
	if m.chosen() != "6" || !m.replanning {
		t.Fatalf("right on the picker chose %q (replanning %v), want v6 being planned", m.chosen(), m.replanning)
	}
	if m.canConfirm() {
		t.Fatal("confirm possible before the new plan arrived")
	}
	// A late plan for the version picked before is dropped.
	m.Update(PlannedMsg{Request: actions.Request{ID: testID, To: "9"}, Plan: p})
	if !m.replanning {
		t.Fatal("a plan for another version was taken")
	}
	for _, msg := range run(cmds...) {
		m.Update(msg)
	}
	if !strings.Contains(uitest.Plain(m), "alias champion: 8 → 6") {
		t.Errorf("the change does not follow the version picked:\n%s", uitest.Plain(m))
	}
}

func TestOutcomes(t *testing.T) {
	cases := []struct {
		result actions.Result
		want   []string
	}{
		{actions.Result{Outcome: actions.Failed, Status: 404, Message: "RESOURCE_DOES_NOT_EXIST: version 7 not found", Recorded: true},
			[]string{"✖ failed", "RESOURCE_DOES_NOT_EXIST", "HTTP 404"}},
		{actions.Result{Outcome: actions.Unknown, Message: "no answer within 30s; the request was sent and not retried; check the registry",
			Check: "check the registry", Recorded: true},
			[]string{"? unknown", "no answer within 30s", "check", "check the registry"}},
		{actions.Result{Outcome: actions.Succeeded, RunID: "manual__2026", RunURL: "http://airflow/run/1", Recorded: false,
			Message: "dag run created (not recorded: disk full)"},
			[]string{"✔ done", "manual__2026", "http://airflow/run/1", "NOT recorded"}},
	}
	for _, tc := range cases {
		m, _ := open(t, retrainPlan(), 80, 22)
		focusOn(t, m, fieldReason)
		typeText(m, "x")
		focusOn(t, m, fieldConfirm)
		press(m, "enter")
		m.Update(DoneMsg{ID: "other", Result: tc.result})
		if !m.Sending() {
			t.Fatal("an outcome for another request was taken")
		}
		r := tc.result
		r.ID = testID
		m.Update(DoneMsg{ID: testID, Result: r})
		got := uitest.Plain(m)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("outcome %s: %q missing from\n%s", tc.result.Outcome, w, got)
			}
		}
	}
}

func TestPasteIntoTheFocusedInput(t *testing.T) {
	m, _ := open(t, rollbackPlan(), 80, 22)
	focusOn(t, m, fieldCancel)
	m.Update(tea.PasteMsg{Content: "ignored: focus is on Cancel"})
	if m.reason.Value() != "" || m.typed.Value() != "" {
		t.Fatal("a paste with the focus on a button went into an input")
	}
	focusOn(t, m, fieldTyped)
	m.Update(tea.PasteMsg{Content: "payments-fraud"})
	if m.typed.Value() != "payments-fraud" {
		t.Errorf("typed name after paste: %q", m.typed.Value())
	}
}

// The outcome panel is guarded like the dialog: keys pressed within
// ArmDelay of it appearing (an enter meant for the dialog, typed ahead)
// do nothing; the guard's tick lifts it.
func TestOutcomeGuard(t *testing.T) {
	m, fa := open(t, retrainPlan(), 80, 22)
	typeText(m, "drift on tenure")
	focusOn(t, m, fieldConfirm)
	msgs := run(press(m, "enter")...)
	if len(msgs) != 1 {
		t.Fatalf("confirming gave %d messages, want one outcome", len(msgs))
	}
	_, guard := m.Update(msgs[0])
	if guard == nil {
		t.Fatal("the outcome started no guard")
	}
	if m.Armed() {
		t.Fatal("the outcome takes keys at once")
	}
	for _, k := range []string{"enter", "esc", "q", "space"} {
		press(m, k)
		if m.Closed() {
			t.Fatalf("%s within the guard closed the outcome", k)
		}
	}
	if got := uitest.Plain(m); !strings.Contains(got, "done") {
		t.Errorf("the outcome is not shown during its guard:\n%s", got)
	}
	// The guard's tick is an ArmedMsg for this request, ArmDelay later.
	if msg := guard(); msg != (ArmedMsg{ID: testID}) {
		t.Fatalf("the guard's tick is %#v", msg)
	}
	m.Update(ArmedMsg{ID: testID})
	press(m, "enter")
	if !m.Closed() {
		t.Error("enter after the guard does not close the outcome")
	}
	if n := len(fa.executions()); n != 1 {
		t.Errorf("%d executions, want 1", n)
	}
}

// A done action lists its changes under one label, as the plan did: the
// state line and the change after it are not two changes.
func TestDoneLabelsChangesOnce(t *testing.T) {
	p := retrainPlan()
	p.Changes = []string{"rollout default/live: Paused at step 1/4, canary weight 25", "step 1/4 → 2/4, weight 25 → 50"}
	m, _ := open(t, p, 100, 30)
	focusOn(t, m, fieldReason)
	typeText(m, "x")
	focusOn(t, m, fieldConfirm)
	press(m, "enter")
	m.Update(DoneMsg{ID: testID, Result: actions.Result{ID: testID, Outcome: actions.Succeeded, Recorded: true, Message: "patched"}})
	got := uitest.Plain(m)
	if n := strings.Count(got, "changed"); n != 1 || !strings.Contains(got, "step 1/4 → 2/4, weight 25 → 50") {
		t.Errorf("the outcome labels %d lines changed (want 1, with both changes listed):\n%s", n, got)
	}
}
