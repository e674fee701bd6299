package comparescreen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mltop/mltop/internal/human"
)

// direction says which way a quantity is better.
type direction int

const (
	neutral      direction = iota // no better side: traffic, rates
	higherBetter                  // AUC, accuracy, labelled share, p-values
	lowerBetter                   // RMSE, latency, errors, drift distances, label age
)

// Noise below which two values count as the same (≈): absolute for scores
// bounded in 0..1, relative to the larger value otherwise, whose scale is
// arbitrary. The same rule the fleet screen applies against the baseline.
const (
	boundedNoise  = 0.005
	relativeNoise = 0.01
)

// verdict is which side a row favours.
type verdict int

const (
	noVerdict verdict = iota // a value is unknown, or the row has no better side
	sameValue                // within noise
	bBetter
	aBetter
)

func known(p *float64) bool { return p != nil && !math.IsNaN(*p) && !math.IsInf(*p, 0) }

// judge compares a and b in the row's direction.
func judge(a, b *float64, dir direction, bounded bool) verdict {
	if !known(a) || !known(b) || dir == neutral {
		return noVerdict
	}
	d := *b - *a
	noise := relativeNoise * math.Max(math.Abs(*a), math.Abs(*b))
	if bounded {
		noise = boundedNoise
	}
	switch {
	case math.Abs(d) < noise || d == 0:
		return sameValue
	case (d < 0) == (dir == lowerBetter):
		return bBetter
	}
	return aBetter
}

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
		}
	default:
		s = u.format(a)
	}
	return sign + s
}
