// Package human formats numbers, durations and ages the way an operator
// reads them at a glance: short, fixed precision, units always shown.
package human

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Rate formats a per-second rate: 0.3, 48, 1.2k, 3.4M.
func Rate(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "—"
	case a >= 1e6:
		return trim(fmt.Sprintf("%.1f", v/1e6)) + "M"
	case a >= 1e3:
		return trim(fmt.Sprintf("%.1f", v/1e3)) + "k"
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return trim(fmt.Sprintf("%.1f", v))
	case a == 0:
		return "0"
	default:
		return trim(fmt.Sprintf("%.2f", v))
	}
}

// Percent formats a ratio (0..1) as a percentage with one decimal: 4.1%.
func Percent(ratio float64) string {
	if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
		return "—"
	}
	p := ratio * 100
	if p != 0 && math.Abs(p) < 0.1 {
		return "<0.1%"
	}
	return fmt.Sprintf("%.1f%%", p)
}

// Seconds formats a latency given in seconds: 912ms, 1.2s, 850µs.
func Seconds(s float64) string {
	switch {
	case math.IsNaN(s) || math.IsInf(s, 0):
		return "—"
	case s >= 60:
		return Duration(time.Duration(s * float64(time.Second)))
	case s >= 1:
		return trim(fmt.Sprintf("%.2f", s)) + "s"
	case s >= 0.001:
		return fmt.Sprintf("%.0fms", s*1000)
	case s == 0:
		return "0ms"
	default:
		return fmt.Sprintf("%.0fµs", s*1e6)
	}
}

// Age formats an age in seconds with at most two units: 45s, 3m, 1h5m, 1d2h, 12d.
func Age(seconds float64) string {
	if math.IsNaN(seconds) || math.IsInf(seconds, 0) {
		return "—"
	}
	return Duration(time.Duration(seconds * float64(time.Second)))
}

// Duration formats a duration with at most two units, as Age does.
func Duration(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	var s string
	switch {
	case d < time.Second:
		s = "0s"
	case d < time.Minute:
		s = fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		s = two(int(d/time.Minute), "m", int(d%time.Minute/time.Second), "s", d < 10*time.Minute)
	case d < 24*time.Hour:
		s = two(int(d/time.Hour), "h", int(d%time.Hour/time.Minute), "m", true)
	case d < 10*24*time.Hour:
		s = two(int(d/(24*time.Hour)), "d", int(d%(24*time.Hour)/time.Hour), "h", true)
	default:
		s = fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	}
	if neg {
		return "-" + s
	}
	return s
}

func two(a int, ua string, b int, ub string, showB bool) string {
	if b == 0 || !showB {
		return fmt.Sprintf("%d%s", a, ua)
	}
	return fmt.Sprintf("%d%s%d%s", a, ua, b, ub)
}

// Score formats a quality or drift score in the compact style of the
// fleet screen: .81, .07, 1.2, 12.
func Score(v float64) string {
	a := math.Abs(v)
	var s string
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "—"
	case a < 1:
		s = fmt.Sprintf("%.2f", v)
		s = strings.Replace(s, "0.", ".", 1)
	case a < 10:
		s = trim(fmt.Sprintf("%.2f", v))
	case a < 1000:
		s = trim(fmt.Sprintf("%.1f", v))
	default:
		s = Rate(v)
	}
	return s
}

func trim(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
