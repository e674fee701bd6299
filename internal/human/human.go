// Package human formats numbers, durations and ages the way an operator
// reads them at a glance: short, fixed precision, units always shown.
// However large a value, it fits a cell: SI prefixes, then an exponent
// (2.5e21). A value that cannot be (a negative latency, an error ratio
// above 100 %) is shown as it is, marked with Impossible, never as a
// normal-looking number.
package human

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Impossible marks a value its kind cannot take: broken data at the
// source, which the reader should not mistake for a measurement.
const Impossible = "!"

// siPrefixes are the prefixes of rates and large scores, by power of 1000.
var siPrefixes = []string{"", "k", "M", "G", "T", "P", "E"}

// Rate formats a per-second rate: 0.3, 48, 1.2k, 3.4M, 5G, 2.5e21.
func Rate(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "—"
	case a >= 999.95:
		return si(v)
	case a >= 99.95:
		return fmt.Sprintf("%.0f", v)
	case a >= 9.995:
		return trim(fmt.Sprintf("%.1f", v))
	case a == 0:
		return "0"
	case a < 0.005:
		// Too small for two decimals, yet not nothing.
		if v < 0 {
			return ">-0.01"
		}
		return "<0.01"
	default:
		return trim(fmt.Sprintf("%.2f", v))
	}
}

// si is v ≥ 1000 with an SI prefix and one decimal (1.2k, 34.5M), and in
// exponent form past the last prefix. The prefix is chosen after rounding,
// so 999,990 is 1M, not 1000k.
func si(v float64) string {
	a := math.Abs(v)
	for i := 1; i < len(siPrefixes); i++ {
		scaled := a / math.Pow(1000, float64(i))
		if math.Round(scaled*10)/10 < 1000 {
			return trim(fmt.Sprintf("%.1f", math.Copysign(scaled, v))) + siPrefixes[i]
		}
	}
	return Exp(v)
}

// Exp is v in short exponent form: 2.5e21, -1e300, 3e-7.
func Exp(v float64) string {
	s := strconv.FormatFloat(v, 'e', 1, 64) // "2.5e+21"
	mant, exp, _ := strings.Cut(s, "e")
	mant = strings.TrimSuffix(mant, ".0")
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(exp[1:], "0")
	if exp == "" {
		exp = "0"
	}
	if neg {
		exp = "-" + exp
	}
	return mant + "e" + exp
}

// shiftExp adds n to the exponent of an Exp string.
func shiftExp(s string, n int) string {
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	return mant + "e" + strconv.Itoa(e+n)
}

// Percent formats a ratio (0..1) as a percentage with one decimal: 4.1%.
// A ratio outside 0..1 is marked Impossible.
func Percent(ratio float64) string {
	if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
		return "—"
	}
	p := ratio * 100
	switch a := math.Abs(p); {
	case p != 0 && a < 0.1:
		return ratioMark(ratio) + "<0.1%"
	case a < 999.95:
		return ratioMark(ratio) + fmt.Sprintf("%.1f%%", p)
	}
	return PercentWhole(ratio)
}

// PercentWhole is Percent without decimals, for narrow cells: 4%, 100%,
// !150%, !1e302%.
func PercentWhole(ratio float64) string {
	if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
		return "—"
	}
	p := ratio * 100
	switch a := math.Abs(p); {
	case a < 1e6:
		return ratioMark(ratio) + fmt.Sprintf("%.0f%%", p)
	case !math.IsInf(p, 0):
		return ratioMark(ratio) + Exp(p) + "%"
	default: // ratio*100 overflows: shift the exponent by hand
		return ratioMark(ratio) + shiftExp(Exp(ratio), 2) + "%"
	}
}

// ratioMark is Impossible for a ratio outside 0..1.
func ratioMark(ratio float64) string {
	if ratio < 0 || ratio > 1+1e-9 {
		return Impossible
	}
	return ""
}

// Seconds formats a latency given in seconds: 912ms, 1.2s, 850µs. A
// negative latency is marked Impossible.
func Seconds(s float64) string {
	switch {
	case math.IsNaN(s) || math.IsInf(s, 0):
		return "—"
	case s < 0:
		return Impossible + "-" + Seconds(-s)
	case s >= maxSeconds:
		return Exp(s) + "s"
	case s >= 60:
		return Duration(time.Duration(s * float64(time.Second)))
	case s >= 0.9995:
		return trim(fmt.Sprintf("%.2f", s)) + "s"
	case s >= 0.0009995:
		return fmt.Sprintf("%.0fms", s*1000)
	case s == 0:
		return "0ms"
	case s < 0.5e-6:
		return Exp(s) + "s" // below a microsecond: no latency is that short
	default:
		return fmt.Sprintf("%.0fµs", s*1e6)
	}
}

// maxSeconds is the longest time a time.Duration holds, about 292 years;
// longer ones are written in seconds with an exponent.
const maxSeconds = float64(math.MaxInt64) / float64(time.Second)

// Age formats an age in seconds with at most two units: 45s, 3m, 1h5m, 1d2h, 12d.
func Age(seconds float64) string {
	switch {
	case math.IsNaN(seconds) || math.IsInf(seconds, 0):
		return "—"
	case math.Abs(seconds) >= maxSeconds:
		days := seconds / 86400
		if math.Abs(days) < 1e6 {
			return fmt.Sprintf("%.0fd", days)
		}
		return Exp(days) + "d"
	}
	return Duration(time.Duration(seconds * float64(time.Second)))
}

// Duration formats a duration with at most two units, as Age does.
func Duration(d time.Duration) string {
	neg := d < 0
	if neg {
		if d == math.MinInt64 {
			d++ // -MinInt64 does not fit
		}
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
	case a < 999.95:
		s = trim(fmt.Sprintf("%.1f", v))
	default:
		s = si(v)
	}
	return s
}

func trim(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
