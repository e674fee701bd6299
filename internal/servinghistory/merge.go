package servinghistory

import (
	"math"
	"sort"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// MaxGapSteps is how many steps in a row a version may show no traffic
// and still be one interval. A missed scrape, an exporter restart or a
// rate window that lands between two samples leaves a step or two empty;
// that is not a version leaving and coming back, which a rollback and a
// redeploy (hours apart at a coarse step) still show as two intervals.
const MaxGapSteps = 2

// sample is one step's value of a series.
type sample struct {
	at time.Time
	v  float64
}

// shares turns the request rates of one model's versions at each step into
// each version's share of the model's traffic then. Steps where a version
// has no rate above zero are left out: it served nothing then. A version
// split over several series (by another label) is summed first. The steps
// are a grid from the earliest sample, so sums are slices, not maps.
func shares(rates map[string][]sample, step time.Duration) map[string][]sample {
	var first, last time.Time
	for _, ss := range rates {
		for _, s := range ss {
			if first.IsZero() || s.at.Before(first) {
				first = s.at
			}
			if s.at.After(last) {
				last = s.at
			}
		}
	}
	if first.IsZero() || step <= 0 {
		return map[string][]sample{}
	}
	n := int(last.Sub(first)/step) + 1
	index := func(t time.Time) int { return int((t.Sub(first) + step/2) / step) }
	total := make([]float64, n)
	byVersion := make(map[string][]float64, len(rates))
	for v, ss := range rates {
		sums := byVersion[v]
		for _, s := range ss {
			if i := index(s.at); s.v > 0 && !math.IsInf(s.v, 0) && i < n {
				if sums == nil {
					sums = make([]float64, n)
					byVersion[v] = sums
				}
				total[i] += s.v
				sums[i] += s.v
			}
		}
	}
	out := make(map[string][]sample, len(byVersion))
	for v, sums := range byVersion {
		served := 0
		for _, x := range sums {
			if x > 0 {
				served++
			}
		}
		steps := make([]sample, 0, served)
		for i, x := range sums {
			if x > 0 {
				steps = append(steps, sample{first.Add(time.Duration(i) * step), x / total[i]})
			}
		}
		out[v] = steps
	}
	return out
}

// intervals joins a version's steps with traffic (oldest first) into
// intervals: two steps further apart than MaxGapSteps empty steps start a
// new one. Share is the mean of the steps' shares (the empty steps of a
// short gap are not counted as zero: nothing says traffic stopped). An
// interval begins a step before its first step: that step's rate is over
// the step before it (the windows are widened to the step), so the
// traffic began within it, and the time served is To − From.
func intervals(version string, steps []sample, step time.Duration) []fleet.ServedInterval {
	var out []fleet.ServedInterval
	var sum float64
	var n int
	flush := func() {
		if n > 0 {
			out[len(out)-1].Share = sum / float64(n)
		}
		sum, n = 0, 0
	}
	for i, s := range steps {
		if i == 0 || s.at.Sub(steps[i-1].at) > time.Duration(MaxGapSteps+1)*step {
			flush()
			out = append(out, fleet.ServedInterval{Version: version, From: s.at.Add(-step)})
		}
		out[len(out)-1].To = s.at
		sum += s.v
		n++
	}
	flush()
	return out
}

// meanIn is the mean of the series' values at steps from..to (inclusive),
// ignoring values that are not numbers; ok is false when none is.
func meanIn(ss []sample, from, to time.Time) (float64, bool) {
	var sum float64
	var n int
	for _, s := range ss {
		if s.at.Before(from) || s.at.After(to) || math.IsNaN(s.v) || math.IsInf(s.v, 0) {
			continue
		}
		sum += s.v
		n++
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// qualityIn is the headline quality metric's mean over the interval, as
// fleet.Version.PrimaryMetric picks the headline among the metrics
// measured then; nil when none was.
func qualityIn(metrics map[string][]sample, from, to time.Time) map[string]float64 {
	means := map[string]float64{}
	for m, ss := range metrics {
		if x, ok := meanIn(ss, from, to); ok {
			means[m] = x
		}
	}
	if len(means) == 0 {
		return nil
	}
	v := fleet.Version{Performance: means}
	name, live, _ := v.PrimaryMetric()
	if live == nil {
		return nil
	}
	return map[string]float64{name: *live}
}

// modelSeries is what the range queries said about one model's versions.
type modelSeries struct {
	rates   map[string][]sample            // version -> request rate
	errors  map[string][]sample            // version -> error ratio
	quality map[string]map[string][]sample // version -> metric -> value
}

// served is the model's intervals, oldest first (by start, then version),
// with their error ratio and quality filled where the series have them.
func (ms *modelSeries) served(step time.Duration) []fleet.ServedInterval {
	var out []fleet.ServedInterval
	for v, steps := range shares(ms.rates, step) {
		for _, iv := range intervals(v, steps, step) {
			first := iv.From.Add(step) // the interval's first step
			if x, ok := meanIn(ms.errors[v], first, iv.To); ok {
				iv.ErrorRatio = &x
			}
			// The steps whose rates cover the interval's last day.
			lastDay := iv.To.Add(step - 24*time.Hour)
			if lastDay.Before(first) || lastDay.After(iv.To) {
				lastDay = first
			}
			if x, ok := meanIn(ms.errors[v], lastDay, iv.To); ok {
				iv.LastDayErrorRatio = &x
			}
			iv.Quality = qualityIn(ms.quality[v], first, iv.To)
			out = append(out, iv)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].From.Equal(out[j].From) {
			return out[i].From.Before(out[j].From)
		}
		return fleet.CompareVersions(out[i].Version, out[j].Version) < 0
	})
	return out
}
