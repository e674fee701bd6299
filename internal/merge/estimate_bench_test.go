package merge

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

// estimateTables are the tables the poller hands the merge for n models ×
// 2 versions: feature_buckets with 10 features and the prediction, 12
// buckets each, and score_calibration's two histograms.
func estimateTables(n int) (map[fleet.Role]*labelrows.Table, model.Vector) {
	les := []string{"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.95", "1", "+Inf"}
	var buckets, cal, rps model.Vector
	for i := range n {
		name := modelName(i)
		for _, ver := range []string{"7", "8"} {
			rps = append(rps, sample(1, "model", name, "version", ver))
			for f := range 11 {
				feature := fmt.Sprintf("f%02d", f)
				if f == 10 {
					feature = fleet.PredictionFeature
				}
				for j, le := range les {
					buckets = append(buckets, sample(float64(10*(j+1)), "model", name, "version", ver, "feature", feature, "le", le))
				}
			}
			for j, le := range les {
				cal = append(cal,
					sample(float64(100*(j+1)), "model", name, "version", ver, "le", le, "calibration", "all"),
					sample(float64(50*(j+1)), "model", name, "version", ver, "le", le, "calibration", "positive"))
			}
		}
	}
	return map[fleet.Role]*labelrows.Table{
		fleet.RoleFeatureBuckets:   labelrows.FromVector(buckets, histdrift.BucketColumns),
		fleet.RoleScoreCalibration: labelrows.FromVector(cal, calibrationColumns),
	}, rps
}

// BenchmarkEstimate1000Models is what the quality estimate adds to the
// first refresh for 1,000 models × 2 versions: a new estimator reading
// both tables and CBPE for every version.
func BenchmarkEstimate1000Models(b *testing.B) { benchEstimate(b, false) }

// BenchmarkEstimate1000ModelsNewPredictions is a refresh that re-read the
// prediction histograms (every 1/60 of drift.window, a minute by default)
// but not the calibration (every 1/60 of calibration_window).
func BenchmarkEstimate1000ModelsNewPredictions(b *testing.B) {
	tables, rps := estimateTables(1000)
	cfg := MergeConfig{Histograms: tables, Estimate: EstimateConfig{Threshold: 0.5, CalibrationWindow: 7 * 24 * time.Hour}, Estimator: NewEstimator()}
	bld := newBuilder(cfg)
	bld.add(fleet.RoleRequestRate, rps)
	bld.estimateQuality(nil)
	// Copies of the prediction table, made beforehand: the poller's new
	// answer is a new table.
	preds := make([]*labelrows.Table, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if len(preds) == 0 {
			for range 64 {
				preds = append(preds, copyTable(tables[fleet.RoleFeatureBuckets]))
			}
			runtime.GC() // the copies' garbage is not the estimate's
		}
		bld.cfg.Histograms = map[fleet.Role]*labelrows.Table{fleet.RoleFeatureBuckets: preds[len(preds)-1], fleet.RoleScoreCalibration: tables[fleet.RoleScoreCalibration]}
		preds = preds[:len(preds)-1]
		for _, m := range bld.models {
			for _, v := range m.versions {
				v.v.EstimatedPerformance, v.v.Calibration = nil, nil
			}
		}
		b.StartTimer()
		bld.estimateQuality(nil)
	}
	if bld.cfg.Estimator.lastReuse {
		b.Fatal("a new prediction table was not read")
	}
}

// BenchmarkEstimate1000ModelsNewTables is a refresh that re-read both
// tables (the calibration every 1/60 of calibration_window) with the
// estimator of the refreshes before.
func BenchmarkEstimate1000ModelsNewTables(b *testing.B) {
	tables, rps := estimateTables(1000)
	cfg := MergeConfig{Histograms: tables, Estimate: EstimateConfig{Threshold: 0.5, CalibrationWindow: 7 * 24 * time.Hour}, Estimator: NewEstimator()}
	bld := newBuilder(cfg)
	bld.add(fleet.RoleRequestRate, rps)
	bld.estimateQuality(nil)
	// Copies of both tables, made beforehand: each refresh's answers are
	// new tables.
	var copies []map[fleet.Role]*labelrows.Table
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if len(copies) == 0 {
			for range 32 {
				copies = append(copies, map[fleet.Role]*labelrows.Table{
					fleet.RoleFeatureBuckets:   copyTable(tables[fleet.RoleFeatureBuckets]),
					fleet.RoleScoreCalibration: copyTable(tables[fleet.RoleScoreCalibration]),
				})
			}
			runtime.GC() // the copies' garbage is not the estimate's
		}
		bld.cfg.Histograms = copies[len(copies)-1]
		copies = copies[:len(copies)-1]
		for _, m := range bld.models {
			for _, v := range m.versions {
				v.v.EstimatedPerformance, v.v.Calibration = nil, nil
			}
		}
		b.StartTimer()
		bld.estimateQuality(nil)
	}
	if bld.cfg.Estimator.lastReuse {
		b.Fatal("new tables were not read")
	}
	v := bld.models[modelName(999)].versions["8"].v
	if len(v.EstimatedPerformance) != 5 || v.Calibration.Unavailable != "" {
		b.Fatalf("estimated %v, calibration %+v", v.EstimatedPerformance, v.Calibration)
	}
}

// copyTable is a new table with t's rows, as the poller's next answer
// would be.
func copyTable(t *labelrows.Table) *labelrows.Table {
	b := labelrows.NewBuilder(t.Labels(), t.Len())
	row := make([]uint32, len(t.Labels()))
	for r := range t.Len() {
		for c := range row {
			row[c] = b.Intern(t.Text(r, c))
		}
		b.Add(row, t.Value(r))
	}
	return b.Table()
}

// BenchmarkEstimate1000ModelsReused is the same on a refresh whose tables
// are the last ones (most refreshes): the estimates are reused.
func BenchmarkEstimate1000ModelsReused(b *testing.B) { benchEstimate(b, true) }

func benchEstimate(b *testing.B, reuse bool) {
	tables, rps := estimateTables(1000)
	cfg := MergeConfig{Histograms: tables, Estimate: EstimateConfig{Threshold: 0.5, CalibrationWindow: 7 * 24 * time.Hour}}
	bld := newBuilder(cfg)
	bld.add(fleet.RoleRequestRate, rps)
	if reuse {
		bld.cfg.Estimator = NewEstimator()
		bld.estimateQuality(nil)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range bld.models {
			for _, v := range m.versions {
				v.v.EstimatedPerformance, v.v.Calibration = nil, nil
			}
		}
		bld.estimateQuality(nil)
	}
	if reuse && !bld.cfg.Estimator.lastReuse {
		b.Fatal("the estimate was not reused")
	}
	v := bld.models[modelName(999)].versions["8"].v
	if len(v.EstimatedPerformance) != 5 || v.Calibration.Unavailable != "" {
		b.Fatalf("estimated %v, calibration %+v", v.EstimatedPerformance, v.Calibration)
	}
}
