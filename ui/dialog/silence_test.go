package dialog

import (
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/ui/uitest"
)

// silencePlan silences payments-fraud's alerts for 2h; one alert fires,
// another is silenced already.
func silencePlan() actions.Plan {
	return actions.Plan{
		ID: testID, Action: actions.Silence, Title: "Silence alerts", Model: "payments-fraud",
		Adapter: "alertmanager", Target: "http://alertmanager.internal:9093/api/v2/silences", Timeout: 10 * time.Second,
		For: 2 * time.Hour, Until: uitest.Now.Add(2 * time.Hour), Matchers: []string{`model="payments-fraud"`},
		Changes: []string{`silence model="payments-fraud"`, "for 2h, until 2026-03-14 14:00 UTC",
			"matches now: ModelErrorRate v8 (firing, since 11:40 UTC)",
			"matches now: ModelLatencySLO v8 (already silenced by ben (SHA256:Zm9vYmFy), since 11:02 UTC)"},
		Meaning: "Alertmanager sends no notification for matching alerts until then; they still fire, in Prometheus and here. " +
			"mltop unsilence ID ends it early",
		ReasonRequired: true,
	}
}

// The length starts at 2h; → picks 4h and asks for its plan, and only
// that plan is taken; the request sent carries the length shown.
func TestSilenceLengthPicker(t *testing.T) {
	m, fa := open(t, silencePlan(), 120, 38)
	if m.focus != fieldReason {
		t.Fatalf("focus starts on %v, want the reason", m.focus)
	}
	if got := m.chosenLabel(); got != "2h" {
		t.Fatalf("the length starts at %s, want 2h", got)
	}
	if !strings.Contains(uitest.Plain(m), "for        1h   [2h]   4h    8h    24h") {
		t.Errorf("no length picker with 2h chosen:\n%s", uitest.Plain(m))
	}
	focusOn(t, m, fieldPicker)
	cmds := press(m, "right")
	if m.chosenLabel() != "4h" || !m.replanning || m.canConfirm() {
		t.Fatalf("after →: %s, replanning %v, can confirm %v", m.chosenLabel(), m.replanning, m.canConfirm())
	}
	run(cmds...)
	if len(fa.planned) != 1 || fa.planned[0].For != 4*time.Hour || fa.planned[0].Action != actions.Silence {
		t.Fatalf("planned %+v, want one silence plan for 4h", fa.planned)
	}
	// A late plan for 2h is dropped; the one for 4h is taken.
	m.Update(PlannedMsg{Request: actions.Request{ID: testID, For: 2 * time.Hour}, Plan: silencePlan()})
	if !m.replanning {
		t.Fatal("a plan for another length was taken")
	}
	four := silencePlan()
	four.For, four.Changes[1] = 4*time.Hour, "for 4h, until 2026-03-14 16:00 UTC"
	m.Update(PlannedMsg{Request: actions.Request{ID: testID, For: 4 * time.Hour}, Plan: four})
	if m.replanning || !strings.Contains(uitest.Plain(m), "for 4h, until 2026-03-14 16:00 UTC") {
		t.Fatalf("the 4h plan is not shown:\n%s", uitest.Plain(m))
	}
	focusOn(t, m, fieldReason)
	typeText(m, "deploy window")
	focusOn(t, m, fieldConfirm)
	run(press(m, "enter")...)
	ex := fa.executions()
	if len(ex) != 1 || ex[0].For != 4*time.Hour || ex[0].Reason != "deploy window" || ex[0].Action != actions.Silence {
		t.Fatalf("executed %+v, want one silence for 4h with the reason", ex)
	}
}

// Without a reason, the silence cannot be confirmed; the ends of the
// picker stop there.
func TestSilenceNeedsReason(t *testing.T) {
	m, fa := open(t, silencePlan(), 80, 22)
	focusOn(t, m, fieldPicker)
	for range 3 {
		run(press(m, "left")...)
	}
	if m.chosenLabel() != "1h" {
		t.Errorf("left past the start chose %s", m.chosenLabel())
	}
	for range 8 {
		press(m, "tab")
		if m.focus == fieldConfirm {
			t.Fatal("confirm reachable without a reason")
		}
	}
	if len(fa.executions()) != 0 {
		t.Fatal("sent without a reason")
	}
	if !strings.Contains(uitest.Plain(m), "type a reason") {
		t.Errorf("the dialog does not say a reason is missing:\n%s", uitest.Plain(m))
	}
}
