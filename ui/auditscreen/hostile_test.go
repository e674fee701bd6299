package auditscreen

import (
	"errors"
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/uitest"
)

// TestHostileRecordsAreDrawnCleaned: audit records carry what servers
// answered (messages, run ids, urls) and what operators typed; folded,
// expanded, or when the log cannot be read again, the screen draws only
// text and colours.
func TestHostileRecordsAreDrawnCleaned(t *testing.T) {
	const h = uitest.Hostile
	fl := &fakeLog{}
	for _, r := range records() {
		r.Model += h
		r.Reason += h
		r.Target += h
		r.Actor.User += h
		if r.Response != nil {
			r.Response.Message += h
			r.Response.RunID = "run" + h
			r.Response.URL = "https://ci.example/" + h
		}
		fl.records = append(fl.records, r)
	}
	c := uitest.Common("dark")
	c.Actions = fl
	m := New(c, "")
	m.SetSize(120, 40)
	deliver(m, m.Init())
	if !strings.Contains(uitest.Plain(m), "payments-fraud") {
		t.Fatalf("records not drawn:\n%s", uitest.Plain(m))
	}
	for i := 0; i < len(fl.records); i++ {
		press(m, "enter")
		if r, bad := uitest.TerminalActs(m.View()); bad {
			t.Fatalf("row %d draws %U:\n%q", i, r, m.View())
		}
		press(m, "enter", "down")
	}
	fl.mu.Lock()
	fl.err = errors.New("read audit log: " + h)
	fl.mu.Unlock()
	deliver(m, m.refresh())
	if r, bad := uitest.TerminalActs(m.View()); bad {
		t.Fatalf("the read error draws %U:\n%q", r, m.View())
	}
}
