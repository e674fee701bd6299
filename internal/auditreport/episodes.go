package auditreport

import (
	"math"
	"time"

	"github.com/prometheus/common/model"
)

// maxPoints bounds a range query's points per series, under Prometheus's
// limit of 11,000.
const maxPoints = 10_000

// StepFor is the coarsest of minStep and the step that keeps a range query
// over [from, to] within maxPoints per series, in whole seconds (whole
// minutes from a minute up), so that 90 days are read at 13 minutes.
func StepFor(from, to time.Time, minStep time.Duration) time.Duration {
	span := to.Sub(from)
	step := (span + maxPoints - 1) / maxPoints
	unit := time.Second
	if step >= time.Minute {
		unit = time.Minute
	}
	step = (step + unit - 1) / unit * unit
	return max(step, minStep, time.Second)
}

// holds says whether a value is an episode's, and how bad it is (larger
// is worse) for its peak.
type holds func(v float64) (in bool, badness float64)

// episodesOf turns one series into the stretches where in holds. Points
// more than 1.5 steps apart end a stretch (no sample: the series was not
// there). peak maps the worst badness back to the value reported.
func episodesOf(points []model.SamplePair, step time.Duration, end time.Time, in holds) []Episode {
	var out []Episode
	var cur *Episode
	var last time.Time
	worst := math.Inf(-1)
	var worstValue float64
	flush := func() {
		if cur == nil {
			return
		}
		v := worstValue
		cur.Peak = &v
		cur.Ongoing = !end.After(cur.To.Add(step + step/2))
		out = append(out, *cur)
		cur, worst = nil, math.Inf(-1)
	}
	for _, p := range points {
		at, v := p.Timestamp.Time().UTC(), float64(p.Value)
		ok, bad := false, 0.0
		if !math.IsNaN(v) {
			ok, bad = in(v)
		}
		if cur != nil && (!ok || at.Sub(last) > step+step/2) {
			flush()
		}
		if ok {
			if cur == nil {
				cur = &Episode{From: at}
			}
			cur.To = at
			if bad > worst {
				worst, worstValue = bad, v
			}
		}
		last = at
	}
	flush()
	return out
}
