package merge

import (
	"strconv"
	"time"

	"github.com/prometheus/common/model"

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
	if len(est.versions) == 0 {
		return
	}
	byLabel := b.byLabel()
	// The calibrations are copies (the judge marks them), in one array.
	cals := make([]fleet.Calibration, 0, len(est.versions))
	for i := range est.versions {
		key := est.versions[i].key
		m := byLabel[key.model]
		if m == nil || m.versions[key.version] == nil {
			continue // labelled long ago, not in the fleet now
		}
		v := &m.versions[key.version].v
		threshold, unavailable := b.threshold(m, key.version)
		r := est.result(i, threshold, unavailable)
		cals = append(cals, r.cal)
		v.Calibration = &cals[len(cals)-1]
		if v.EstimatedPerformance == nil {
			v.EstimatedPerformance = r.perf
			continue
		}
		for name, e := range r.perf {
			if _, exported := v.EstimatedPerformance[name]; !exported {
				v.EstimatedPerformance[name] = e // the exporter's own were computed on the raw scores
			}
		}
	}
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
