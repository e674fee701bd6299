package wiring

import (
	"testing"
	"time"
)

func TestOffsetLabel(t *testing.T) {
	for d, want := range map[time.Duration]string{
		7 * 24 * time.Hour: "7d offset", 14 * 24 * time.Hour: "14d offset", 36 * time.Hour: "1d12h offset", 90 * time.Minute: "1h30m offset",
	} {
		if got := offsetLabel(d); got != want {
			t.Errorf("offsetLabel(%s) = %q, want %q", d, got, want)
		}
	}
}
