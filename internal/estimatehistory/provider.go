// Package estimatehistory computes one model's quality estimate (CBPE) over
// a range for the detail screen, as drift history does for drift: the
// prediction histogram (the feature_buckets query, narrowed to the model)
// as a range query at a step that fits the screen, the calibration
// (score_calibration) once, at the newest step, and the estimator per step.
package estimatehistory

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/estimate"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/narrow"
	"github.com/mltop/mltop/internal/poll"
)

// Source answers the instant query of the calibration and the range query
// of the predictions.
type Source interface {
	poll.MetricsSource
	history.RangeQuerier
}

// Options configure a Provider.
type Options struct {
	// Threshold is estimate.threshold, for versions the latest snapshot
	// has no calibration of; 0 means 0.5.
	Threshold float64
	// MinStep is the finest step worth asking for (the scrape interval).
	MinStep time.Duration
	// Timeout bounds one call; default 10s.
	Timeout time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Latest returns the latest snapshot: the models' metrics labels and
	// each version's threshold (its registry tag already applied).
	Latest func() (fleet.Snapshot, bool)
}

// Provider computes estimates over time.
type Provider struct {
	src         Source
	preds, cals string // the feature_buckets and score_calibration queries
	opts        Options
}

// New returns nil when src cannot answer range queries or either query is
// not configured.
func New(src poll.MetricsSource, queries []poll.Query, opts Options) *Provider {
	s, ok := src.(Source)
	if !ok {
		return nil
	}
	p := &Provider{src: s, opts: opts}
	for _, q := range queries {
		switch q.Role {
		case fleet.RoleFeatureBuckets:
			p.preds = q.Expr
		case fleet.RoleScoreCalibration:
			p.cals = q.Expr
		}
	}
	if p.preds == "" || p.cals == "" {
		return nil
	}
	if p.opts.Now == nil {
		p.opts.Now = time.Now
	}
	if p.opts.Timeout <= 0 {
		p.opts.Timeout = 10 * time.Second
	}
	if p.opts.Threshold == 0 {
		p.opts.Threshold = 0.5
	}
	return p
}

// maxSteps bounds the steps estimated per call; a screen is never wider.
const maxSteps = 2000

// EstimateHistory returns the estimate of every version of the model (its
// registered name) that has a calibration, over rng in about width steps.
func (p *Provider) EstimateHistory(modelName string, rng time.Duration, width int) (fleet.EstimateHistory, error) {
	return p.EstimateHistoryAt(modelName, rng, width, p.opts.Now())
}

// EstimateHistoryAt is EstimateHistory over the range ending at now (a
// past time when looking back).
func (p *Provider) EstimateHistoryAt(modelName string, rng time.Duration, width int, now time.Time) (fleet.EstimateHistory, error) {
	if modelName == "" || rng <= 0 {
		return fleet.EstimateHistory{}, fmt.Errorf("estimate history: model %q, range %s", modelName, rng)
	}
	label, thresholds := p.fromSnapshot(modelName)
	step := history.StepFor(rng, min(width, maxSteps), p.opts.MinStep)
	n := max(int(rng/step), 1)
	end := now.Truncate(step)
	start := end.Add(-time.Duration(n-1) * step)
	ctx, cancel := context.WithTimeout(context.Background(), p.opts.Timeout)
	defer cancel()

	cals, err := narrow.ToModel(p.cals, label)
	if err != nil {
		return fleet.EstimateHistory{}, fmt.Errorf("estimate history of %s: query %s: %w", modelName, fleet.RoleScoreCalibration, err)
	}
	vec, _, err := p.src.Query(ctx, cals, end)
	if err != nil {
		return fleet.EstimateHistory{}, fmt.Errorf("estimate history of %s: query %s: %w", modelName, fleet.RoleScoreCalibration, err)
	}
	calibration := readCalibration(vec, label)
	out := fleet.EstimateHistory{Model: modelName, Range: rng, Step: step, End: end}
	if len(calibration) == 0 {
		return out, nil // nothing to estimate with: no need to ask for predictions
	}
	preds, err := narrow.ToModel(p.preds, label)
	if err != nil {
		return fleet.EstimateHistory{}, fmt.Errorf("estimate history of %s: query %s: %w", modelName, fleet.RoleFeatureBuckets, err)
	}
	mat, _, err := p.src.QueryRange(ctx, preds, start, end, step)
	if err != nil {
		return fleet.EstimateHistory{}, fmt.Errorf("estimate history of %s: query %s: %w", modelName, fleet.RoleFeatureBuckets, err)
	}
	predictions := readPredictions(mat, label, start, step, n)

	for _, version := range sortedVersions(calibration) {
		cal := calibration[version]
		pred := predictions[version]
		if pred == nil {
			continue
		}
		t, ok := thresholds[version]
		if !ok {
			t = p.opts.Threshold
		}
		series := map[string][]float64{}
		for i := range n {
			in, ok := inputAt(cal, pred, i)
			if !ok {
				continue
			}
			in.Threshold = t
			for _, m := range estimate.CBPE(in).Metrics {
				s := series[m.Name]
				if s == nil {
					s = nanSeries(n)
					series[m.Name] = s
				}
				s[i] = m.Value
			}
		}
		for _, metric := range fleet.EstimatedMetrics {
			if s, ok := series[metric]; ok {
				out.Series = append(out.Series, fleet.EstimateSeries{Version: version, Metric: metric, Values: s})
			}
		}
	}
	return out, nil
}

// fromSnapshot is the model's metrics label and each version's threshold
// as the latest snapshot has them.
func (p *Provider) fromSnapshot(name string) (string, map[string]float64) {
	thresholds := map[string]float64{}
	if p.opts.Latest == nil {
		return name, thresholds
	}
	snap, ok := p.opts.Latest()
	if !ok {
		return name, thresholds
	}
	label := name
	for i := range snap.Models {
		m := &snap.Models[i]
		if m.Name != name {
			continue
		}
		if m.ServingName != "" {
			label = m.ServingName
		}
		for j := range m.Versions {
			if c := m.Versions[j].Calibration; c != nil && c.Threshold > 0 {
				thresholds[m.Versions[j].Version] = c.Threshold
			}
		}
	}
	return label, thresholds
}

// histogram is one version's cumulative histogram: bounds and, per bound,
// the counts (one per step for predictions, one for a calibration).
type histogram map[float64][]float64

func (h histogram) bounds() []float64 {
	out := make([]float64, 0, len(h))
	for le := range h {
		out = append(out, le)
	}
	sort.Float64s(out)
	return out
}

type calibration struct{ all, positive histogram }

// readCalibration groups the calibration answer by version.
func readCalibration(vec model.Vector, label string) map[string]*calibration {
	out := map[string]*calibration{}
	for _, s := range vec {
		if string(s.Metric["model"]) != label {
			continue
		}
		le, err := strconv.ParseFloat(string(s.Metric["le"]), 64)
		if err != nil || math.IsNaN(le) {
			continue
		}
		v := string(s.Metric["version"])
		c := out[v]
		if c == nil {
			c = &calibration{all: histogram{}, positive: histogram{}}
			out[v] = c
		}
		switch string(s.Metric["calibration"]) {
		case fleet.CalibrationAll:
			c.all[le] = []float64{float64(s.Value)}
		case fleet.CalibrationPositive:
			c.positive[le] = []float64{float64(s.Value)}
		}
	}
	return out
}

// readPredictions picks each version's prediction histogram out of the
// feature histograms, one count per step (NaN where a step has none).
func readPredictions(mat model.Matrix, label string, start time.Time, step time.Duration, n int) map[string]histogram {
	out := map[string]histogram{}
	for _, s := range mat {
		if string(s.Metric["model"]) != label || !fleet.IsPredictionFeature(string(s.Metric["feature"])) {
			continue
		}
		le, err := strconv.ParseFloat(string(s.Metric["le"]), 64)
		if err != nil || math.IsNaN(le) {
			continue
		}
		v := string(s.Metric["version"])
		if out[v] == nil {
			out[v] = histogram{}
		}
		counts := nanSeries(n)
		for _, sp := range s.Values {
			i := int(math.Round(float64(sp.Timestamp.Time().Sub(start)) / float64(step)))
			if i >= 0 && i < n {
				counts[i] = float64(sp.Value)
			}
		}
		out[v][le] = counts
	}
	return out
}

// inputAt is the estimator's input at step i, when the three histograms
// share their bounds and every count is readable.
func inputAt(cal *calibration, pred histogram, i int) (estimate.Input, bool) {
	bounds := pred.bounds()
	if len(bounds) == 0 || len(cal.all) != len(bounds) || len(cal.positive) != len(bounds) {
		return estimate.Input{}, false
	}
	cp, ca, cq := make([]float64, len(bounds)), make([]float64, len(bounds)), make([]float64, len(bounds))
	for j, le := range bounds {
		a, okA := cal.all[le]
		q, okQ := cal.positive[le]
		if !okA || !okQ {
			return estimate.Input{}, false
		}
		cp[j], ca[j], cq[j] = pred[le][i], a[0], q[0]
	}
	np, okN := estimate.FromCumulative(cp)
	na, okA := estimate.FromCumulative(ca)
	nq, okQ := estimate.FromCumulative(cq)
	if !okN || !okA || !okQ {
		return estimate.Input{}, false
	}
	return estimate.Input{Bounds: bounds, Predictions: np, Labelled: na, Positive: nq}, true
}

func nanSeries(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

func sortedVersions(m map[string]*calibration) []string {
	out := make([]string, 0, len(m))
	for v := range m {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return fleet.CompareVersions(out[i], out[j]) < 0 })
	return out
}
