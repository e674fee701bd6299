package root

import (
	"testing"
	"time"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// The events service given to the root reaches the screens: opening a
// model asks it for the model's events over the chosen range.
func TestEventsReachTheDetailScreen(t *testing.T) {
	p := &uitest.EventsProvider{}
	m := New(Options{Events: p, Range: time.Hour, Context: "demo", Now: uitest.Now})
	if m.c.Events != p {
		t.Fatal("the events service is not on Common")
	}
	_, cmd := m.Update(common.OpenModelMsg{Model: "credit-risk"})
	var got *common.EventsMsg
	for _, msg := range uitest.Run(cmd) {
		if e, ok := msg.(common.EventsMsg); ok {
			got = &e
		}
	}
	calls, model, from, to := p.Asked()
	if got == nil || calls != 1 || model != "credit-risk" || to.Sub(from) != time.Hour {
		t.Fatalf("opening a model asked %d times for %q over %s (answer %v)", calls, model, to.Sub(from), got)
	}
}
