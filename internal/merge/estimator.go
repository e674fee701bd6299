package merge

import (
	"slices"
	"sync"
	"time"

	"github.com/mltop/mltop/internal/estimate"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

// Estimator keeps the histograms the last estimate was made from and its
// results, and reuses them while the poller hands over the same tables (a
// histogram query is re-read once a minute or less, a refresh comes every
// few seconds). Its arrays are reused from one read to the next. Safe for
// concurrent use; the zero value is not: use NewEstimator.
type Estimator struct {
	mu      sync.Mutex
	calTab  *labelrows.Table
	predTab *labelrows.Table
	window  time.Duration
	ready   bool // whether the tables above have been read

	cal, pred grouper
	// versions are the calibration table's versions, in its order; index
	// finds them by labels.
	versions  []calVersion
	index     map[histKey]int32
	indexRoom int // the versions index was made for
	// results are by version, made once per tables and threshold.
	results []estimateResult
	// stdErrs hold the results' standard errors: chunks never reused, as
	// snapshots point into them.
	stdErrs floats
	metrics [5]estimate.Metric // CBPE's metrics, before they are filed
	scratch []float64          // a prediction histogram's counts per bucket

	lastReuse bool // whether the last read reused both tables (for tests)
}

// calVersion is one version's two labelled-score histograms (groups of
// the calibration table), read into counts per bucket or why they cannot
// be, and its prediction histogram's group (-1 for none).
type calVersion struct {
	key                 histKey
	group, pred         int32
	why                 string
	bounds              []float64
	labelled, positives []float64
}

// estimateResult is one version's estimate at one threshold.
type estimateResult struct {
	made        bool
	threshold   float64
	unavailable string // the threshold's own problem, if any
	cal         fleet.Calibration
	// perf is the estimated metrics, nil for none. Snapshots share it
	// from one refresh to the next while the estimate is reused, so it is
	// never written once made (a version with the exporter's own estimates
	// gets a copy of the entries instead).
	perf map[string]fleet.Estimate
}

// The calibration table's sides, in grouper order.
const (
	sideAll = iota
	sidePositive
)

// NewEstimator returns an estimator with nothing to reuse yet.
func NewEstimator() *Estimator { return &Estimator{index: make(map[histKey]int32)} }

// read re-reads whichever table changed and forgets the results made from
// the old one.
func (e *Estimator) read(cal, pred *labelrows.Table, window time.Duration) {
	e.lastReuse = e.ready && cal == e.calTab && pred == e.predTab && window == e.window
	if e.lastReuse {
		return
	}
	newCal, newPred := !e.ready || cal != e.calTab, !e.ready || pred != e.predTab
	e.calTab, e.predTab = cal, pred
	switch {
	case newCal && newPred:
		// Two tables, two cores: the reads share nothing.
		var wg sync.WaitGroup
		wg.Go(func() { e.readCalibration(cal) })
		e.readPredictions(pred)
		wg.Wait()
	case newCal:
		e.readCalibration(cal)
	case newPred:
		e.readPredictions(pred)
	}
	e.join()
	e.window, e.ready = window, true
	e.results = slices.Grow(e.results[:0], len(e.versions))[:len(e.versions)]
	clear(e.results)
}

// readCalibration groups score_calibration's rows by version and by the
// calibration label, and reads each version's counts per bucket.
func (e *Estimator) readCalibration(t *labelrows.Table) {
	e.versions = e.versions[:0]
	clear(e.index)
	cm, cv, cl, cc := t.Column("model"), t.Column("version"), t.Column("le"), t.Column("calibration")
	if cm < 0 || cv < 0 || cl < 0 || cc < 0 {
		return
	}
	e.cal.read(t, cm, cv, cl, cc, dictID(t, fleet.CalibrationAll), dictID(t, fleet.CalibrationPositive))
	dict := t.Dict()
	e.versions = slices.Grow(e.versions, len(e.cal.keys))
	if len(e.cal.keys) > e.indexRoom {
		// Made for its size: no growing, and cleared for the next read.
		e.indexRoom = len(e.cal.keys)
		e.index = make(map[histKey]int32, e.indexRoom)
	}
	for gi, k := range e.cal.keys {
		v := calVersion{key: histKey{dict[k.model], dict[k.version]}, group: int32(gi), pred: -1}
		e.prepare(&v)
		e.index[v.key] = int32(len(e.versions))
		e.versions = append(e.versions, v)
	}
}

// prepare reads a version's labelled counts per bucket, once per
// calibration table (it is re-read every 1/60 of the calibration window,
// the predictions far more often).
func (e *Estimator) prepare(v *calVersion) {
	all, positive := e.cal.histogram(int(v.group), sideAll), e.cal.histogram(int(v.group), sidePositive)
	ab, ac, okA := all.sorted()
	qb, qc, okQ := positive.sorted()
	switch {
	case len(all.bounds) == 0 && !all.bad:
		v.why = "no model_labeled_score histogram"
	case len(positive.bounds) == 0 && !positive.bad:
		v.why = "no model_labeled_positive_score histogram"
	case !okA || !okQ:
		v.why = "the labelled-score histograms' buckets cannot be read"
	case !slices.Equal(ab, qb):
		v.why = "the two labelled-score histograms have different buckets"
	}
	if v.why != "" {
		return
	}
	// In place: each count is read before its place is written, and the
	// cumulative counts are not read again.
	labelled, okA := estimate.AppendFromCumulative(ac[:0], ac)
	positives, okQ := estimate.AppendFromCumulative(qc[:0], qc)
	if !okA || !okQ {
		v.why = "the labelled-score histograms have a negative or missing count"
		return
	}
	v.bounds, v.labelled, v.positives = ab, labelled, positives
}

// readPredictions picks the prediction histograms out of feature_buckets.
func (e *Estimator) readPredictions(t *labelrows.Table) {
	e.pred.keys = e.pred.keys[:0]
	if t.Len() == 0 {
		return
	}
	cm, cv, cf, cl := t.Column("model"), t.Column("version"), t.Column("feature"), t.Column("le")
	if cm < 0 || cv < 0 || cf < 0 || cl < 0 {
		return
	}
	id := dictID(t, fleet.PredictionFeature)
	if id == labelrows.Absent {
		return
	}
	e.pred.read(t, cm, cv, cl, cf, id)
}

// join finds each version's prediction histogram.
func (e *Estimator) join() {
	for i := range e.versions {
		e.versions[i].pred = -1
	}
	if len(e.pred.keys) == 0 {
		return
	}
	dict := e.predTab.Dict()
	for gi, k := range e.pred.keys {
		if i, ok := e.index[histKey{dict[k.model], dict[k.version]}]; ok {
			e.versions[i].pred = int32(gi)
		}
	}
}

// result is version i's estimate at threshold, made once per tables and
// threshold.
func (e *Estimator) result(i int, threshold float64, unavailable string) *estimateResult {
	r := &e.results[i]
	if r.made && r.threshold == threshold && r.unavailable == unavailable {
		return r
	}
	*r = estimateResult{made: true, threshold: threshold, unavailable: unavailable,
		cal: fleet.Calibration{Window: e.window, Threshold: threshold, Unavailable: unavailable}}
	if unavailable != "" {
		return r
	}
	in, why := e.input(&e.versions[i])
	if why != "" {
		r.cal.Unavailable = why
		return r
	}
	in.Threshold, in.Window = threshold, e.window
	res := estimate.AppendCBPE(e.metrics[:0], in)
	r.cal.ECE, r.cal.ECENoise, r.cal.Labels, r.cal.Unavailable = res.ECE, res.ECENoise, res.Labels, res.Unavailable
	if len(res.Metrics) > 0 {
		r.perf = make(map[string]fleet.Estimate, len(res.Metrics))
	}
	for _, m := range res.Metrics {
		fe := fleet.Estimate{Value: m.Value}
		if m.HasStdError {
			fe.StdError = e.stdErrs.ptr(m.StdError)
		}
		r.perf[m.Name] = fe
	}
	return r
}

// input aligns a version's three histograms on the same bounds, per
// bucket; unavailable says why they cannot be. Its Predictions are valid
// until the next call.
func (e *Estimator) input(v *calVersion) (in estimate.Input, unavailable string) {
	if v.pred < 0 {
		return in, "no model_prediction_value histogram in the window"
	}
	pb, pc, ok := e.pred.histogram(int(v.pred), 0).sorted()
	switch {
	case !ok:
		return in, "the model_prediction_value histogram's buckets cannot be read"
	case v.why != "":
		return in, v.why
	case !slices.Equal(v.bounds, pb):
		return in, "the labelled-score histograms' buckets differ from model_prediction_value's"
	}
	n, ok := estimate.AppendFromCumulative(e.scratch[:0], pc)
	if !ok {
		return in, "the model_prediction_value histogram has a negative or missing count"
	}
	e.scratch = n
	return estimate.Input{Bounds: pb, Predictions: n, Labelled: v.labelled, Positive: v.positives}, ""
}
