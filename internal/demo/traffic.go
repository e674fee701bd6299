package demo

import (
	"math"
	"time"

	"github.com/mltop/mltop/internal/drift"
)

// serve simulates dt of real traffic for one model: stable and canary split
// the requests by weight, a shadow receives a mirror of all of them.
func (m *simModel) serve(dt, s time.Duration) {
	sec := dt.Seconds()
	// Mean-reverting wander so the rate sparkline is not a flat line.
	m.load = 1 + (m.load-1)*math.Exp(-sec/60) + 0.01*math.Sqrt(sec)*m.rng.NormFloat64()
	m.load = math.Min(1.3, math.Max(0.7, m.load))
	n := poisson(m.rng, m.spec.rate*sec*m.load)

	stableN := n
	if r := m.rollout; r != nil && r.canary != nil {
		c := m.versions[r.canary.version]
		cn := binomial(m.rng, n, c.weight/100)
		m.observe(c, cn, s)
		stableN = n - cn
	}
	m.observe(m.versions[m.stable], stableN, s)
	if m.shadow != 0 {
		m.observe(m.versions[m.shadow], n, s)
	}
}

// observe records n predictions served by v at story offset s.
func (m *simModel) observe(v *simVersion, n uint64, s time.Duration) {
	if v == nil {
		return
	}
	r := m.rng
	v.predictions += n
	v.errors += binomial(r, n, v.errorRatio(s))
	v.latency.observeN(r, latencyDist(v.spec.p50, v.spec.p95), n)
	out := m.outputAt(v.spec, s)
	v.output.observeN(r, out, n)
	for i := range m.spec.features {
		f := &m.spec.features[i]
		// Drawn only while values go missing, so that the other
		// features' and models' random streams stay as they were.
		seen := n
		if p := f.missingAt(s); p > 0 {
			k := binomial(r, n, p)
			v.missing[f.name] += k
			seen -= k
		}
		if f.categorical() {
			v.cats[f.name].observeN(r, normalise(f.current), seen)
			continue
		}
		v.features[f.name].observeN(r, f.base.shifted(f.shiftAt(s)), seen)
	}
	if l := m.spec.labels; l != nil {
		k := binomial(r, n, l.fraction)
		v.labeled += k
		v.delays.observeN(r, l.delay, k)
		m.expectLabels(v, out, k, s)
	}
}

// errorRatio wanders around the version's base rate with a 37-minute cycle,
// so an incident's error ratio moves within its band.
func (v *simVersion) errorRatio(s time.Duration) float64 {
	p := v.spec.errRate + v.spec.errSwing*math.Sin(2*math.Pi*s.Minutes()/37)
	return math.Min(1, math.Max(0, p))
}

// landLabels advances the label pipeline: a batch lands every landEvery of
// story time, unless the pipeline is stalled; the first batch after a stall
// lands when the stall clears.
func (m *simModel) landLabels(s time.Duration) {
	l := m.spec.labels
	if l == nil || s < l.stalledFor || s < m.lastLabel+l.landEvery {
		return
	}
	at := m.lastLabel + (s-m.lastLabel)/l.landEvery*l.landEvery
	if at < l.stalledFor {
		at = s
	}
	m.lastLabel = at
	for _, n := range m.servingOrder() {
		m.landScores(m.versions[n], at)
		if v := m.versions[n]; v.track != "" {
			m.measureQuality(v, at)
		}
	}
}

// measureQuality recomputes live quality as the labels landed at story
// offset s allow: for calibrated classifiers, what those labels give
// (calibration.go); for the others, the offline baseline, the version's
// usual live gap, and noise.
func (m *simModel) measureQuality(v *simVersion, s time.Duration) {
	if m.spec.labels == nil {
		return
	}
	if m.scoreTruth() {
		m.measureExpected(v, s)
		return
	}
	for _, metric := range m.spec.live {
		base, ok := v.spec.offline[metric]
		if !ok {
			continue
		}
		noise := m.rng.NormFloat64() * 0.002
		if lowerIsBetter(metric) {
			noise *= base
		}
		v.perf[metric] = base + v.spec.liveGap[metric] + noise
	}
}

// runDriftJob plays the scheduled drift job: PSI of each numeric feature
// over the version's reference deciles, Jensen-Shannon distance for
// categorical ones. A job's scores rest on a finite sample, hence a small
// positive noise.
func (w *world) runDriftJob() {
	s := w.clock.elapsed()
	for _, m := range w.models {
		for _, n := range m.servingOrder() {
			v := m.versions[n]
			if v.track == "" {
				continue
			}
			for i := range m.spec.features {
				f := &m.spec.features[i]
				var score float64
				if f.categorical() {
					score, _ = drift.JensenShannon(v.refProbs[f.name], f.current, drift.DefaultJSBase)
				} else {
					ref := f.base.shifted(v.refShift[f.name]).bucketProbs(v.bounds[f.name])
					cur := f.base.shifted(f.shiftAt(s)).bucketProbs(v.bounds[f.name])
					score, _ = drift.PopulationStabilityIndex(ref, cur)
				}
				v.drift[f.name] = score + math.Abs(m.rng.NormFloat64())*0.002
			}
		}
	}
}
