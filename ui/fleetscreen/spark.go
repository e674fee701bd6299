package fleetscreen

import (
	"math"
	"strings"
)

// sparkWidth is the number of glyphs in an inline trend.
const sparkWidth = 6

// spark draws values (NaN = no sample) as at most width glyphs from the
// set levels, lowest first. Fewer than two samples draw nothing: a trend
// needs data, and none is ever invented. Gaps stay blank.
func spark(values []float64, width int, levels []string) string {
	if width <= 0 || len(levels) == 0 {
		return ""
	}
	vals := resample(values, width)
	lo, hi, n := math.Inf(1), math.Inf(-1), 0
	for _, v := range vals {
		if math.IsNaN(v) {
			continue
		}
		lo, hi, n = math.Min(lo, v), math.Max(hi, v), n+1
	}
	if n < 2 {
		return ""
	}
	// A floor on the span keeps small wobbles of a steady series small
	// instead of stretching noise over the full height.
	span := hi - lo
	if floor := 0.1 * math.Max(math.Abs(hi), math.Abs(lo)); span < floor {
		mid := (hi + lo) / 2
		lo, span = mid-floor/2, floor
	}
	var b strings.Builder
	top := len(levels) - 1
	for _, v := range vals {
		if math.IsNaN(v) {
			b.WriteByte(' ')
			continue
		}
		i := 0
		if span > 0 {
			i = int(math.Round((v - lo) / span * float64(top)))
		}
		b.WriteString(levels[max(0, min(top, i))])
	}
	return b.String()
}

// resample averages values into at most width buckets, newest last.
func resample(values []float64, width int) []float64 {
	if len(values) <= width {
		return values
	}
	out := make([]float64, width)
	for i := range out {
		from, to := i*len(values)/width, (i+1)*len(values)/width
		sum, n := 0.0, 0
		for _, v := range values[from:to] {
			if !math.IsNaN(v) {
				sum, n = sum+v, n+1
			}
		}
		out[i] = math.NaN()
		if n > 0 {
			out[i] = sum / float64(n)
		}
	}
	return out
}
