package comparescreen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/judge"
)

// direction says which way a quantity is better; verdict is which side a
// row favours. Both are internal/judge's, which decides within noise.
type (
	direction = judge.Direction
	verdict   = judge.Comparison
)

const (
	neutral      = judge.Neutral
	higherBetter = judge.HigherBetter
	lowerBetter  = judge.LowerBetter

	noVerdict = judge.NoVerdict
	sameValue = judge.Same
	bBetter   = judge.BBetter
	aBetter   = judge.ABetter
)

func known(p *float64) bool { return p != nil && !math.IsNaN(*p) && !math.IsInf(*p, 0) }

// unit formats values of one kind, and their differences.
type unit int

const (
	unitScore   unit = iota // .87, 12.4
	unitSeconds             // 44ms
	unitRatio               // 0..1 as 4.1%; differences in points
	unitRate                // per second
	unitWeight              // percent 0..100; differences in points
	unitAge                 // seconds, as 2d1h
)

func (u unit) format(v float64) string {
	switch u {
	case unitSeconds:
		return human.Seconds(v)
	case unitRatio:
		return human.Percent(v)
	case unitRate:
		return human.Rate(v) + "/s"
	case unitWeight:
		return fmt.Sprintf("%.0f%%", v)
	case unitAge:
		return human.Age(v)
	}
	return human.Score(v)
}

// resolution is the smallest difference delta shows as non-zero: a
// smaller one is never called a win.
func (u unit) resolution() float64 {
	if u == unitScore {
		return 0.0005
	}
	return 0
}

// delta writes b−a with its sign; ratios and weights in percentage points.
func (u unit) delta(d float64) string {
	sign := "+"
	if d < 0 {
		sign = "-"
	}
	a := math.Abs(d)
	if a == 0 {
		return "0"
	}
	var s string
	switch u {
	case unitRatio:
		switch pp := a * 100; {
		case pp >= 0.1:
			s = fmt.Sprintf("%.1fpp", pp)
		case pp >= 0.01:
			s = fmt.Sprintf("%.2fpp", pp)
		default:
			s = "<0.01pp"
		}
	case unitWeight:
		s = fmt.Sprintf("%.0fpp", a)
	case unitRate:
		s = human.Rate(a) + "/s"
	case unitScore:
		s = human.Score(a)
		if s == ".00" {
			// Differences inside the noise still show their size: +.004.
			s = strings.Replace(strconv.FormatFloat(a, 'f', 3, 64), "0.", ".", 1)
			if s == ".000" {
				return "0"
			}
		}
	default:
		s = u.format(a)
	}
	return sign + s
}
