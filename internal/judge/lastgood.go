package judge

import (
	"fmt"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
)

// KnownGoodServing is how long a version must have served to be a last
// known good: a day shows a daily cycle of traffic, less shows little.
const KnownGoodServing = 24 * time.Hour

// KnownGoodMinShare is the least mean share of the model's traffic an
// interval must have to count as time served: a 1 % trickle for a day
// says little of how the version bears the load.
const KnownGoodMinShare = 0.1

// ServedRecord is a version's serving history summed over its intervals:
// how long it served and its means over that time.
type ServedRecord struct {
	Version string
	// Served is the time of the intervals at KnownGoodMinShare or more.
	Served time.Duration
	// ErrorRatio is the mean over the intervals that have one, weighted by
	// their length; nil when none has.
	ErrorRatio *float64
	// WorstError is the highest of each interval's mean error ratio and
	// the mean over the last day of the version's last interval; WorstWhen
	// says which ("over its last day of serving", "over Mar 04–Mar 06").
	// Nil when there are no intervals.
	WorstError *float64
	WorstWhen  string
	// ErrorUnknown, when not "", says which error ratio is unknown: an
	// interval without one, or the last day's.
	ErrorUnknown string
	// Metric and Quality are the headline quality metric's mean, over the
	// intervals measuring the newest interval's metric; "" and nil when
	// none measured one.
	Metric  string
	Quality *float64
}

// RecordOf sums a version's intervals (any order).
func RecordOf(version string, ivs []fleet.ServedInterval) ServedRecord {
	r := ServedRecord{Version: version}
	var errSum, errW, qSum, qW float64
	var newest time.Time
	worst := func(x float64, when string) {
		if r.WorstError == nil || x > *r.WorstError {
			r.WorstError, r.WorstWhen = &x, when
		}
	}
	last := -1 // the interval that ends last
	for i, iv := range ivs {
		d := iv.To.Sub(iv.From)
		if iv.Share >= KnownGoodMinShare {
			r.Served += d
		}
		if last < 0 || iv.To.After(ivs[last].To) {
			last = i
		}
		// A single step weighs as little as a step can: it still counts
		// when nothing longer has a value.
		w := max(d.Hours(), 1e-6)
		when := "over " + iv.From.UTC().Format("Jan 02") + "–" + iv.To.UTC().Format("Jan 02")
		if iv.ErrorRatio != nil {
			errSum += w * *iv.ErrorRatio
			errW += w
			worst(*iv.ErrorRatio, when)
		} else if r.ErrorUnknown == "" {
			r.ErrorUnknown = "v" + version + "'s error ratio " + when + " is unknown"
		}
		if len(iv.Quality) > 0 && !iv.From.Before(newest) {
			newest = iv.From
			for m := range iv.Quality {
				r.Metric = m
			}
		}
	}
	if last >= 0 {
		if x := ivs[last].LastDayErrorRatio; x != nil {
			worst(*x, "over its last day of serving")
		} else if r.ErrorUnknown == "" {
			r.ErrorUnknown = "v" + version + "'s error ratio over its last day of serving is unknown"
		}
	}
	for _, iv := range ivs {
		if q, ok := iv.Quality[r.Metric]; ok && r.Metric != "" {
			w := max(iv.To.Sub(iv.From).Hours(), 1e-6)
			qSum += w * q
			qW += w
		}
	}
	if errW > 0 {
		x := errSum / errW
		r.ErrorRatio = &x
	}
	if qW > 0 {
		x := qSum / qW
		r.Quality = &x
	}
	return r
}

// KnownGood reports whether the record makes its version a last known
// good: it served at least KnownGoodServing (at KnownGoodMinShare or
// more), its error ratio stayed under half the error threshold (where a
// warning begins) in every interval and over the last day it served, and
// its quality was within the quality-drop threshold of its offline
// baseline. Quality that was not measured, or has no baseline, is not held
// against it (the plan says "quality unknown"); an unknown error ratio is,
// as nothing then says the version was good. why says what fell short, in
// words.
func KnownGood(r ServedRecord, baseline map[string]float64, th fleet.Thresholds) (ok bool, why string) {
	errorRate := th.ErrorRate
	if errorRate <= 0 {
		errorRate = fleet.DefaultThresholds.ErrorRate
	}
	switch {
	case r.Served < KnownGoodServing:
		return false, fmt.Sprintf("v%s served %s at %s of traffic or more, less than a day", r.Version, human.Duration(r.Served), human.Percent(KnownGoodMinShare))
	case r.ErrorUnknown != "":
		return false, r.ErrorUnknown
	case r.WorstError == nil:
		return false, fmt.Sprintf("v%s's error ratio is unknown", r.Version)
	case *r.WorstError >= errorRate/2:
		return false, fmt.Sprintf("v%s's error ratio %s %s is not under %s", r.Version, human.Percent(*r.WorstError), r.WorstWhen, human.Percent(errorRate/2))
	}
	if b, ok := baseline[r.Metric]; ok && r.Quality != nil {
		if drop := QualityDrop(r.Metric, *r.Quality, b); drop >= th.QualityDrop {
			return false, fmt.Sprintf("v%s's %s %s is below its baseline %s", r.Version, r.Metric, human.Score(*r.Quality), human.Score(b))
		}
	}
	return true, ""
}

// Text is the record in a line: "v7 — served 9 days, err 0.3%, auc .88".
func (r ServedRecord) Text() string {
	parts := []string{"served " + days(r.Served)}
	if r.ErrorRatio != nil {
		parts = append(parts, "err "+human.Percent(*r.ErrorRatio))
	} else {
		parts = append(parts, "err unknown")
	}
	if r.Quality != nil {
		parts = append(parts, r.Metric+" "+human.Score(*r.Quality))
	} else {
		parts = append(parts, "quality unknown")
	}
	return "v" + r.Version + " — " + strings.Join(parts, ", ")
}

// days says a serving time in whole days from a day up, rounded: an
// interval's ends are exact to a step.
func days(d time.Duration) string {
	if d < 24*time.Hour {
		return human.Duration(d)
	}
	if n := int((d + 12*time.Hour) / (24 * time.Hour)); n > 1 {
		return fmt.Sprintf("%d days", n)
	}
	return "1 day"
}
