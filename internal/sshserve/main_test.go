package sshserve

import (
	"testing"

	"go.uber.org/goleak"
)

// A program's pending tea.Tick commands (the dashboard's one-second clock)
// outlive it until their timer fires: Bubble Tea cannot cancel them. They
// end on their own within a second; everything else must be gone.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("charm.land/bubbletea/v2.Tick.func1"),
		goleak.IgnoreAnyFunction("charm.land/bubbletea/v2.(*Program).execBatchMsg"),
	)
}
