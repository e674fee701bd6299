package merge

import (
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/estimate"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/termsafe"
)

// TagThreshold is the registry version tag that overrides
// estimate.threshold for one version.
const TagThreshold = "mltop.threshold"

// EstimateConfig is what the quality estimate (CBPE) needs besides data.
type EstimateConfig struct {
	// Threshold is the decision threshold (estimate.threshold); 0 means
	// 0.5.
	Threshold float64
	// CalibrationWindow is the window the score_calibration query reads,
	// for the calibration's Window and the words of an unavailable one.
	CalibrationWindow time.Duration
}

// defaultThreshold is estimate.threshold's default.
const defaultThreshold = 0.5

// calibrationColumns are the labels score_calibration is kept by.
var calibrationColumns = []string{"model", "version", "le", "calibration"}

// estimateQuality fills EstimatedPerformance and Calibration of every
// version with labelled-score histograms (score_calibration), from its
// current prediction histogram (feature_buckets, feature
// fleet.PredictionFeature). It runs after the registry join: the registry
// may override the threshold and may have renamed models, so versions are
// found by the metrics' model label.
func (b *builder) estimateQuality(vectors map[fleet.Role]model.Vector) {
	cal := b.table(vectors, fleet.RoleScoreCalibration)
	if cal.Len() == 0 {
		return
	}
	est := b.cfg.Estimator
	if est == nil {
		est = NewEstimator()
	}
	est.mu.Lock()
	defer est.mu.Unlock()
	est.read(cal, b.table(vectors, fleet.RoleFeatureBuckets), b.cfg.Estimate.CalibrationWindow)
	if len(est.pairs) == 0 {
		return
	}
	byLabel := b.byLabel()
	for key, pair := range est.pairs {
		m := byLabel[key.model]
		if m == nil || m.versions[key.version] == nil {
			continue // labelled long ago, not in the fleet now
		}
		v := &m.versions[key.version].v
		threshold, unavailable := b.threshold(m, key.version)
		r := est.result(key, pair, threshold, unavailable)
		c := r.cal
		v.Calibration = &c
		for _, e := range r.metrics {
			if v.EstimatedPerformance == nil {
				v.EstimatedPerformance = make(map[string]fleet.Estimate, len(r.metrics))
			}
			if _, exported := v.EstimatedPerformance[e.Name]; exported {
				continue // the exporter's own, computed on the raw scores
			}
			fe := fleet.Estimate{Value: e.Value}
			if e.HasStdError {
				fe.StdError = b.nums.ptr(e.StdError)
			}
			v.EstimatedPerformance[e.Name] = fe
		}
	}
}

// Estimator keeps the histograms the last estimate was made from and its
// results, and reuses them while the poller hands over the same tables (a
// histogram query is re-read once a minute or less, a refresh comes every
// few seconds). Safe for concurrent use; the zero value is not: use
// NewEstimator.
type Estimator struct {
	mu        sync.Mutex
	calTab    *labelrows.Table
	predTab   *labelrows.Table
	window    time.Duration
	pairs     map[histKey]*calibrationPair
	preds     map[histKey]*cumulative
	results   map[histKey]*estimateResult
	lastReuse bool // whether the last read reused both tables (for tests)
}

// estimateResult is one version's estimate at one threshold.
type estimateResult struct {
	threshold   float64
	unavailable string // the threshold's own problem, if any
	cal         fleet.Calibration
	metrics     []estimate.Metric
}

// NewEstimator returns an estimator with nothing to reuse yet.
func NewEstimator() *Estimator { return &Estimator{} }

// read re-reads whichever table changed and forgets the results made from
// the old one.
func (e *Estimator) read(cal, pred *labelrows.Table, window time.Duration) {
	e.lastReuse = cal == e.calTab && pred == e.predTab && window == e.window && e.results != nil
	if e.lastReuse {
		return
	}
	if cal != e.calTab {
		e.calTab, e.pairs = cal, readCalibration(cal)
	}
	if pred != e.predTab || e.preds == nil {
		e.predTab, e.preds = pred, readPredictions(pred)
	}
	e.window = window
	e.results = make(map[histKey]*estimateResult, len(e.pairs))
}

// result is the version's estimate at threshold, made once per tables and
// threshold.
func (e *Estimator) result(key histKey, pair *calibrationPair, threshold float64, unavailable string) *estimateResult {
	if r := e.results[key]; r != nil && r.threshold == threshold && r.unavailable == unavailable {
		return r
	}
	r := &estimateResult{threshold: threshold, unavailable: unavailable,
		cal: fleet.Calibration{Window: e.window, Threshold: threshold, Unavailable: unavailable}}
	e.results[key] = r
	if unavailable != "" {
		return r
	}
	in, why := estimateInput(pair, e.preds[key])
	if why != "" {
		r.cal.Unavailable = why
		return r
	}
	in.Threshold, in.Window = threshold, e.window
	res := estimate.CBPE(in)
	r.cal.ECE, r.cal.Labels, r.cal.Unavailable = res.ECE, res.Labels, res.Unavailable
	r.metrics = res.Metrics
	return r
}

// estimateInput aligns a version's three histograms on the same bounds,
// per bucket; unavailable says why they cannot be.
func estimateInput(pair *calibrationPair, pred *cumulative) (in estimate.Input, unavailable string) {
	if pred == nil {
		return in, "no model_prediction_value histogram in the window"
	}
	pb, pc, ok := pred.sorted()
	if !ok {
		return in, "the model_prediction_value histogram's buckets cannot be read"
	}
	pair.prepare()
	switch {
	case pair.why != "":
		return in, pair.why
	case !slices.Equal(pair.bounds, pb):
		return in, "the labelled-score histograms' buckets differ from model_prediction_value's"
	}
	n, ok := estimate.FromCumulative(pc)
	if !ok {
		return in, "the model_prediction_value histogram has a negative or missing count"
	}
	return estimate.Input{Bounds: pb, Predictions: n, Labelled: pair.labelled, Positive: pair.positives}, ""
}

// prepare reads the pair's counts per bucket, once per calibration table
// (it is re-read every 1/60 of the calibration window, the predictions
// far more often).
func (p *calibrationPair) prepare() {
	if p.ready {
		return
	}
	p.ready = true
	ab, ac, okA := p.all.sorted()
	qb, qc, okQ := p.positive.sorted()
	switch {
	case len(p.all.bounds) == 0 && !p.all.bad:
		p.why = "no model_labeled_score histogram"
	case len(p.positive.bounds) == 0 && !p.positive.bad:
		p.why = "no model_labeled_positive_score histogram"
	case !okA || !okQ:
		p.why = "the labelled-score histograms' buckets cannot be read"
	case !slices.Equal(ab, qb):
		p.why = "the two labelled-score histograms have different buckets"
	}
	if p.why != "" {
		return
	}
	all, okA := estimate.FromCumulative(ac)
	pos, okQ := estimate.FromCumulative(qc)
	if !okA || !okQ {
		p.why = "the labelled-score histograms have a negative or missing count"
		return
	}
	p.bounds, p.labelled, p.positives = ab, all, pos
}

// threshold is the version's decision threshold: its registry tag, else
// the configured one.
func (b *builder) threshold(m *modelAcc, version string) (float64, string) {
	t := b.cfg.Estimate.Threshold
	if t == 0 {
		t = defaultThreshold
	}
	if m.registered == nil {
		return t, ""
	}
	for i := range m.registered.Versions {
		rv := &m.registered.Versions[i]
		tag, ok := rv.Tags[TagThreshold]
		if rv.Version != version || !ok {
			continue
		}
		f, err := strconv.ParseFloat(tag, 64)
		if err != nil || !(f > 0 && f < 1) {
			return t, "registry tag " + TagThreshold + "=" + strconv.Quote(termsafe.Clean(tag)) + " is not a score between 0 and 1"
		}
		return f, ""
	}
	return t, ""
}

// byLabel finds models by the metrics' model label.
func (b *builder) byLabel() map[string]*modelAcc {
	out := make(map[string]*modelAcc, len(b.models))
	for name, m := range b.models {
		label := name
		if m.servingAs != "" {
			label = m.servingAs
		}
		out[label] = m
	}
	return out
}

// table is a role's answer as a table: the poller's, or one made from the
// vector a caller passed.
func (b *builder) table(vectors map[fleet.Role]model.Vector, role fleet.Role) *labelrows.Table {
	if t := b.cfg.Histograms[role]; t != nil {
		return t
	}
	if vec := vectors[role]; len(vec) > 0 {
		return labelrows.FromVector(vec, TableColumns(role))
	}
	return nil
}

// addEstimate files an exporter's own estimate (performance_estimate): no
// standard error, no calibration.
func (b *builder) addEstimate(v *versionAcc, s *model.Sample) {
	metric := string(s.Metric[labelMetric])
	val := float64(s.Value)
	if metric == "" || !known(val) {
		return
	}
	if v.v.EstimatedPerformance == nil {
		v.v.EstimatedPerformance = make(map[string]fleet.Estimate, 2)
	}
	v.v.EstimatedPerformance[metric] = fleet.Estimate{Value: val}
}
