package common

import (
	"fmt"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
)

// SilencedBy says who silenced an alert, until when and why, cleaned:
// "ana until 17:00: deploy" (several silences joined by "; "); for an
// alert inhibited rather than silenced, by how many alerts; "" otherwise.
func SilencedBy(a fleet.Alert, now time.Time) string {
	var parts []string
	for _, s := range a.SilencedBy {
		who := termsafe.Clean(s.Author)
		if who == "" {
			who = "silence " + termsafe.Clean(s.ID)
		}
		if !s.Ends.IsZero() {
			who += " until " + ClockTime(s.Ends, now)
		}
		if c := termsafe.Clean(s.Comment); c != "" {
			who += ": " + c
		}
		parts = append(parts, who)
	}
	if len(parts) == 0 && len(a.InhibitedBy) > 0 {
		n := len(a.InhibitedBy)
		if n == 1 {
			return "inhibited by 1 other alert"
		}
		return fmt.Sprintf("inhibited by %d other alerts", n)
	}
	return strings.Join(parts, "; ")
}

// ClockTime is t as a time of day in now's zone ("17:00"), with the date
// when it is another day ("Dec 9 17:00").
func ClockTime(t, now time.Time) string {
	t = t.In(now.Location())
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	return t.Format("Jan 2 15:04")
}
