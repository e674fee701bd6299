package demo

import (
	"math"
	"time"
)

// The demo's binary classifiers are perfectly calibrated on their score
// buckets by construction: a prediction whose score falls in bucket b turns
// out positive with probability truthOf(bounds)[b], the bucket's midpoint
// (the last bucket's is halfway to 1). Their live quality, measured when
// labels land, is the expectation of the metric over the predictions those
// labels belong to, so an estimate made from the same score shares earlier
// (CBPE) matches what is measured later, up to the sampling of the labels.

// demoThreshold is the decision threshold of the demo's classifiers: scores
// above it are predicted positive. It is a bound of probabilityBounds.
const demoThreshold = 0.5

// calibrationWeek is the label history the exporter replays into its
// calibration histograms at the start (see labelled.backlog), in story time.
const calibrationWeek = 7 * day

// replayFor is the real time over which that history is replayed: counters
// must start at zero and grow while scraped, or a rate never sees them.
const replayFor = 30 * time.Second

// truthOf is the positive rate of each score bucket: the midpoint of
// (-Inf, b0] clipped to [0, b0], ..., (bn-1, +Inf) clipped to (bn-1, 1].
func truthOf(bounds []float64) []float64 {
	out := make([]float64, len(bounds)+1)
	lo := 0.0
	for i, b := range bounds {
		out[i] = (lo + b) / 2
		lo = b
	}
	out[len(bounds)] = (lo + 1) / 2
	return out
}

// expectedQuality is each metric's expectation over predictions with the
// given score shares (any scale), positive rate truth per bucket, and
// decision threshold t: the CBPE formulas, applied to the known truth.
// A metric without a defined value (no positives) is left out.
func expectedQuality(shares, truth, bounds []float64, t float64) map[string]float64 {
	var tp, fp, fn, tn, sumP, sumQ, auc, below float64
	for i, n := range shares {
		p := truth[i]
		pos, neg := n*p, n*(1-p)
		if i > 0 && bounds[i-1] >= t {
			tp, fp = tp+pos, fp+neg
		} else {
			fn, tn = fn+pos, tn+neg
		}
		auc += pos * (below + neg/2)
		below += neg
		sumP, sumQ = sumP+pos, sumQ+neg
	}
	out := map[string]float64{}
	if total := tp + fp + fn + tn; total > 0 {
		out["accuracy"] = (tp + tn) / total
	}
	if tp+fp > 0 {
		out["precision"] = tp / (tp + fp)
	}
	if tp+fn > 0 {
		out["recall"] = tp / (tp + fn)
	}
	if 2*tp+fp+fn > 0 {
		out["f1"] = 2 * tp / (2*tp + fp + fn)
	}
	if sumP > 0 && sumQ > 0 {
		out["auc"] = auc / (sumP * sumQ)
		out["roc_auc"] = out["auc"]
	}
	return out
}

// labelled is a version's calibration data: the scores of its labelled
// predictions as their labels land, all and positive ones only.
type labelled struct {
	all, positive *histogram
	// pending are labels still on their way, per story slot of landEvery
	// (when the predictions were made), as expected counts per bucket.
	pending []labelSlot
	// backlog is the score shares of the label history of the week before
	// the story, total its size and left what is still to be replayed.
	backlog     []float64
	total, left float64
	carry       []float64
	truth       []float64 // the positive rate of each bucket
	// shares caches the bucket shares of dist, the score distribution of
	// the latest predictions: it changes only while the output drifts.
	dist   locScale
	shares []float64
}

type labelSlot struct {
	at     time.Duration // story offset of the slot's start
	counts []float64
}

func newLabelled(bounds []float64) *labelled {
	return &labelled{all: newHistogram(bounds), positive: newHistogram(bounds), carry: make([]float64, len(bounds)+1), truth: truthOf(bounds)}
}

// scoreTruth reports whether the model exports calibration histograms.
func (m *simModel) scoreTruth() bool { return m.spec.scoreLabels && m.spec.labels != nil }

// outputAt is the distribution of version v's scores at story offset s.
func (m *simModel) outputAt(v versionSpec, s time.Duration) locScale {
	return m.spec.drifted(m.spec.outputOf(v), s)
}

// drifted is out as the model's output drift has moved it at s: shifted,
// then spread wider or narrower.
func (spec *modelSpec) drifted(out locScale, s time.Duration) locScale {
	if spec.predictionShift != nil {
		out = out.shifted(spec.predictionShift(s))
	}
	if spec.predictionSpread != nil {
		out.sigma *= spec.predictionSpread(s)
	}
	return out
}

// outputOf is a version's score distribution before any drift: the
// model's, with the version's own spread when it has one.
func (spec *modelSpec) outputOf(v versionSpec) locScale {
	out := spec.prediction
	if v.scoreSigma > 0 {
		out.sigma = v.scoreSigma
	}
	return out
}

// expectLabels queues k labels of predictions made at s with score
// distribution out: they land once their median delay has passed.
func (m *simModel) expectLabels(v *simVersion, out locScale, k uint64, s time.Duration) {
	if v.labelled == nil || k == 0 {
		return
	}
	l := v.labelled
	slot := s / m.spec.labels.landEvery * m.spec.labels.landEvery
	if n := len(l.pending); n == 0 || l.pending[n-1].at != slot {
		l.pending = append(l.pending, labelSlot{at: slot, counts: make([]float64, len(l.carry))})
	}
	c := l.pending[len(l.pending)-1].counts
	if l.shares == nil || out != l.dist {
		l.dist, l.shares = out, out.bucketProbs(m.spec.predBounds)
	}
	for i, p := range l.shares {
		c[i] += float64(k) * p
	}
}

// landScores moves the labels whose predictions are at least the median
// delay older than the landing at s into the calibration histograms.
func (m *simModel) landScores(v *simVersion, s time.Duration) {
	l := v.labelled
	if l == nil {
		return
	}
	median := m.spec.labels.delay.quantile(0.5)
	due := time.Duration(median * float64(time.Second))
	n := 0
	for n < len(l.pending) && l.pending[n].at+due <= s {
		m.record(l, l.pending[n].counts)
		n++
	}
	l.pending = append(l.pending[:0], l.pending[n:]...)
}

// record adds expected label counts per bucket, whole labels only (the
// remainders carried), each positive with its bucket's rate.
func (m *simModel) record(l *labelled, counts []float64) {
	truth := l.truth
	for i, c := range counts {
		want := c + l.carry[i]
		k := uint64(math.Max(0, math.Floor(want)))
		l.carry[i] = want - float64(k)
		if k == 0 {
			continue
		}
		pos := binomial(m.rng, k, truth[i])
		l.all.counts[i] += k
		l.all.count += k
		l.all.sum += float64(k) * truth[i]
		l.positive.counts[i] += pos
		l.positive.count += pos
		l.positive.sum += float64(pos) * truth[i]
	}
}

// replayBacklog plays back part of the week before the story: dt of real
// time's share of replayFor. The first call sizes the backlog from the
// version's traffic share, when weights are known.
func (m *simModel) replayBacklog(v *simVersion, dt time.Duration, speed float64) {
	l := v.labelled
	if l == nil || (l.backlog != nil && l.left <= 0) {
		return
	}
	if l.backlog == nil {
		share := 1.0
		if v.track != trackShadow && v.weight > 0 {
			share = v.weight / 100
		}
		realWeek := calibrationWeek.Seconds() / speed
		l.total = m.spec.rate * share * m.spec.labels.fraction * realWeek
		l.left = l.total
		l.backlog = m.outputAt(v.spec, -calibrationWeek/2).bucketProbs(m.spec.predBounds)
	}
	n := math.Min(l.left, l.total*dt.Seconds()/replayFor.Seconds())
	l.left -= n
	counts := make([]float64, len(l.backlog))
	for i, p := range l.backlog {
		counts[i] = n * p
	}
	m.record(l, counts)
}

// measureExpected sets live quality as the labels landed at s give it: the
// expectation over predictions made a median delay earlier, under the known
// calibration.
func (m *simModel) measureExpected(v *simVersion, s time.Duration) {
	due := time.Duration(m.spec.labels.delay.quantile(0.5) * float64(time.Second))
	shares := m.outputAt(v.spec, s-due).bucketProbs(m.spec.predBounds)
	q := expectedQuality(shares, truthOf(m.spec.predBounds), m.spec.predBounds, demoThreshold)
	for _, metric := range m.spec.live {
		if x, ok := q[metric]; ok {
			v.perf[metric] = x
		}
	}
}
