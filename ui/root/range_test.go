package root

import (
	"testing"
	"time"
)

func TestStartingRange(t *testing.T) {
	if got := New(Options{}).Common().Range; got != time.Hour {
		t.Errorf("default range = %s, want 1h", got)
	}
	if got := New(Options{Range: 15 * time.Minute}).Common().Range; got != 15*time.Minute {
		t.Errorf("chosen range = %s, want 15m", got)
	}
}
