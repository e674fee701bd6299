package auditscreen

import (
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/ui/uitest"
)

// A silence's row says how long; expanded, its silence id is labelled so.
func TestSilenceRecord(t *testing.T) {
	ana := audit.Actor{User: "ana", Role: "operator", KeyFingerprint: "SHA256:k3y"}
	after := map[string]string{"matchers": `model="payments-fraud"`, "for": "2h"}
	rec := func(st audit.State, resp *audit.Response) audit.Record {
		return audit.Record{Time: uitest.Now.Add(-time.Minute), ID: "mltop-5555666677778888", State: st, Actor: ana,
			Action: "silence", Title: "Silence alerts", Model: "payments-fraud", After: after, Reason: "deploy window",
			Adapter: "alertmanager", Response: resp}
	}
	fl := &fakeLog{records: []audit.Record{
		rec(audit.Requested, nil),
		rec(audit.Succeeded, &audit.Response{Status: 200, RunID: "5bd3ad4f", Message: "silenced until 2026-03-14 14:00 UTC (silence 5bd3ad4f)"}),
	}}
	c := uitest.Common("dark")
	c.Actions = fl
	m := New(c, "")
	m.SetSize(120, 40)
	deliver(m, m.Init())
	if got := uitest.Plain(m); !strings.Contains(got, "silence 2h") {
		t.Errorf("the silence's row does not say how long:\n%s", got)
	}
	press(m, "enter")
	got := uitest.Plain(m)
	for _, w := range []string{"silence 5bd3ad4f", `for=2h matchers=model="payments-fraud"`, "key SHA256:k3y"} {
		if !strings.Contains(got, w) {
			t.Errorf("expanded silence lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "run     5bd3ad4f") {
		t.Errorf("a silence's id is labelled run:\n%s", got)
	}
}
