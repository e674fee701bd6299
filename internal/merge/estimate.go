package merge

import (
	"math"
	"slices"
	"strconv"
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

// histKey names one version's histogram by its metrics labels' IDs in a
// table's dictionary.
type histKey struct{ model, version string }

// cumulative is one histogram as read: bucket bounds and cumulative counts,
// in the order of the rows.
type cumulative struct {
	bounds, counts []float64
	bad            bool // an unreadable le
}

func (c *cumulative) add(le float64, ok bool, v float64) {
	if !ok {
		c.bad = true
		return
	}
	c.bounds = append(c.bounds, le)
	c.counts = append(c.counts, v)
}

// sorted returns the histogram ascending by bound; ok is false when a bound
// is unreadable or repeated.
func (c *cumulative) sorted() (bounds, counts []float64, ok bool) {
	if c == nil || c.bad || len(c.bounds) == 0 {
		return nil, nil, false
	}
	idx := make([]int, len(c.bounds))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case c.bounds[a] < c.bounds[b]:
			return -1
		case c.bounds[a] > c.bounds[b]:
			return 1
		}
		return 0
	})
	bounds, counts = make([]float64, len(idx)), make([]float64, len(idx))
	for i, j := range idx {
		bounds[i], counts[i] = c.bounds[j], c.counts[j]
		if i > 0 && bounds[i] == bounds[i-1] {
			return nil, nil, false
		}
	}
	return bounds, counts, true
}

// calibrationPair is one version's two labelled-score histograms.
type calibrationPair struct{ all, positive cumulative }

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
	pairs := readCalibration(cal)
	if len(pairs) == 0 {
		return
	}
	preds := readPredictions(b.table(vectors, fleet.RoleFeatureBuckets))
	byLabel := b.byLabel()
	for key, pair := range pairs {
		m := byLabel[key.model]
		if m == nil || m.versions[key.version] == nil {
			continue // labelled long ago, not in the fleet now
		}
		v := &m.versions[key.version].v
		threshold, unavailable := b.threshold(m, key.version)
		c := &fleet.Calibration{Window: b.cfg.Estimate.CalibrationWindow, Threshold: threshold}
		v.Calibration = c
		if unavailable != "" {
			c.Unavailable = unavailable
			continue
		}
		in, unavailable := estimateInput(pair, preds[key])
		if unavailable != "" {
			c.Unavailable = unavailable
			continue
		}
		in.Threshold, in.Window = threshold, b.cfg.Estimate.CalibrationWindow
		res := estimate.CBPE(in)
		c.ECE, c.Labels, c.Unavailable = res.ECE, res.Labels, res.Unavailable
		for _, e := range res.Metrics {
			if v.EstimatedPerformance == nil {
				v.EstimatedPerformance = make(map[string]fleet.Estimate, len(res.Metrics))
			}
			if _, exported := v.EstimatedPerformance[e.Name]; exported {
				continue // the exporter's own, computed on the raw scores
			}
			est := fleet.Estimate{Value: e.Value}
			if e.HasStdError {
				est.StdError = b.nums.ptr(e.StdError)
			}
			v.EstimatedPerformance[e.Name] = est
		}
	}
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
	ab, ac, okA := pair.all.sorted()
	qb, qc, okQ := pair.positive.sorted()
	switch {
	case len(pair.all.bounds) == 0 && !pair.all.bad:
		return in, "no model_labeled_score histogram"
	case len(pair.positive.bounds) == 0 && !pair.positive.bad:
		return in, "no model_labeled_positive_score histogram"
	case !okA || !okQ:
		return in, "the labelled-score histograms' buckets cannot be read"
	case !slices.Equal(ab, pb) || !slices.Equal(qb, pb):
		return in, "the labelled-score histograms' buckets differ from model_prediction_value's"
	}
	n, okN := estimate.FromCumulative(pc)
	all, okA := estimate.FromCumulative(ac)
	pos, okQ := estimate.FromCumulative(qc)
	switch {
	case !okN:
		return in, "the model_prediction_value histogram has a negative or missing count"
	case !okA || !okQ:
		return in, "the labelled-score histograms have a negative or missing count"
	}
	return estimate.Input{Bounds: pb, Predictions: n, Labelled: all, Positive: pos}, ""
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

// readCalibration groups score_calibration's rows by version and by the
// calibration label.
func readCalibration(t *labelrows.Table) map[histKey]*calibrationPair {
	cm, cv, cl, cc := t.Column("model"), t.Column("version"), t.Column("le"), t.Column("calibration")
	if cm < 0 || cv < 0 || cl < 0 || cc < 0 {
		return nil
	}
	les := newLeParser(t.Dict())
	out := make(map[histKey]*calibrationPair)
	for r := range t.Len() {
		key := histKey{t.Text(r, cm), t.Text(r, cv)}
		if key.model == "" {
			continue
		}
		p := out[key]
		if p == nil {
			p = &calibrationPair{}
			out[key] = p
		}
		le, ok := les.parse(t.ID(r, cl))
		switch t.Text(r, cc) {
		case fleet.CalibrationAll:
			p.all.add(le, ok, t.Value(r))
		case fleet.CalibrationPositive:
			p.positive.add(le, ok, t.Value(r))
		}
	}
	return out
}

// readPredictions picks the prediction histograms out of feature_buckets.
func readPredictions(t *labelrows.Table) map[histKey]*cumulative {
	if t.Len() == 0 {
		return nil
	}
	cm, cv, cf, cl := t.Column("model"), t.Column("version"), t.Column("feature"), t.Column("le")
	if cm < 0 || cv < 0 || cf < 0 || cl < 0 {
		return nil
	}
	pred := slices.Index(t.Dict(), fleet.PredictionFeature)
	if pred < 0 {
		return nil
	}
	les := newLeParser(t.Dict())
	out := make(map[histKey]*cumulative)
	for r := range t.Len() {
		if t.ID(r, cf) != uint32(pred) {
			continue
		}
		key := histKey{t.Text(r, cm), t.Text(r, cv)}
		c := out[key]
		if c == nil {
			c = &cumulative{}
			out[key] = c
		}
		le, ok := les.parse(t.ID(r, cl))
		c.add(le, ok, t.Value(r))
	}
	return out
}

// leParser parses each le value of a table's dictionary once.
type leParser struct {
	dict   []string
	parsed map[uint32]float64
	bad    map[uint32]bool
}

func newLeParser(dict []string) *leParser {
	return &leParser{dict: dict, parsed: make(map[uint32]float64, 32), bad: make(map[uint32]bool)}
}

func (p *leParser) parse(id uint32) (float64, bool) {
	if v, ok := p.parsed[id]; ok {
		return v, true
	}
	if p.bad[id] || int(id) >= len(p.dict) {
		return 0, false
	}
	v, err := strconv.ParseFloat(p.dict[id], 64)
	if err != nil || math.IsNaN(v) {
		p.bad[id] = true
		return 0, false
	}
	p.parsed[id] = v
	return v, true
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
