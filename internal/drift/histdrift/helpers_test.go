package histdrift

import (
	"math"
	"strconv"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

// drifted is whether a computed score lies on the drifted side of the
// threshold it carries (the judge's verdict for it; histdrift leaves
// Drifted unset).
func drifted(f fleet.FeatureDrift) bool {
	return f.Drifted == nil && f.Threshold != nil && !math.IsNaN(f.Score) && drift.Drifted(f.Method, f.Score, *f.Threshold)
}

// bucketSamples writes per-bucket counts as the feature_buckets query
// returns them: one cumulative sample per bound, le written as Prometheus
// writes it.
func bucketSamples(modelName, version, feature string, bounds, counts []float64) *labelrows.Table {
	return labelrows.FromVector(bucketVec(modelName, version, feature, bounds, counts), BucketColumns)
}

func bucketVec(modelName, version, feature string, bounds, counts []float64) model.Vector {
	var out model.Vector
	acc := 0.0
	for i, b := range bounds {
		acc += counts[i]
		le := strconv.FormatFloat(b, 'g', -1, 64)
		if math.IsInf(b, 1) {
			le = "+Inf"
		}
		out = append(out, &model.Sample{Metric: model.Metric{
			"model": model.LabelValue(modelName), "version": model.LabelValue(version),
			"feature": model.LabelValue(feature), "le": model.LabelValue(le),
		}, Value: model.SampleValue(acc)})
	}
	return out
}

func categorySamples(modelName, version, feature string, counts map[string]float64) *labelrows.Table {
	return labelrows.FromVector(categoryVec(modelName, version, feature, counts), CategoryColumns)
}

func categoryVec(modelName, version, feature string, counts map[string]float64) model.Vector {
	var out model.Vector
	for c, n := range counts {
		out = append(out, &model.Sample{Metric: model.Metric{
			"model": model.LabelValue(modelName), "version": model.LabelValue(version),
			"feature": model.LabelValue(feature), "category": model.LabelValue(c),
		}, Value: model.SampleValue(n)})
	}
	return out
}

// join puts tables with the same columns one after the other.
func join(ts ...*labelrows.Table) *labelrows.Table {
	var out *labelrows.Table
	for _, t := range ts {
		var err error
		if out, err = labelrows.Concat(out, t); err != nil {
			panic(err)
		}
	}
	return out
}

var (
	inf     = math.Inf(1)
	bounds5 = []float64{1, 2, 3, 4, inf}
	even    = []float64{200, 200, 200, 200, 200}
	shifted = []float64{50, 100, 200, 300, 350}
)

func scale(counts []float64, k float64) []float64 {
	out := make([]float64, len(counts))
	for i, c := range counts {
		out[i] = c * k
	}
	return out
}
