package poll

import (
	"context"
	"math"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

// tableMetrics is fakeMetrics that also answers as tables, recording the
// columns asked for by expression.
type tableMetrics struct {
	fakeMetrics
	mu     sync.Mutex
	tables map[string][]string
}

func (f *tableMetrics) QueryTable(ctx context.Context, expr string, at time.Time, cols []string) (*labelrows.Table, []string, error) {
	f.mu.Lock()
	f.tables[expr] = cols
	f.mu.Unlock()
	vec, w, err := f.fakeMetrics.Query(ctx, expr, at)
	if err != nil {
		return nil, w, err
	}
	return labelrows.FromVector(vec, cols), w, nil
}

// computedQueries sends every role of computedFleet as a query named after
// the role.
func computedQueries() ([]Query, func(context.Context, string) (model.Vector, []string, error)) {
	data := computedFleet()
	var qs []Query
	for _, role := range fleet.AllRoles {
		if _, ok := data[role]; ok {
			qs = append(qs, Query{Name: string(role), Role: role, Expr: string(role)})
		}
	}
	return qs, func(_ context.Context, expr string) (model.Vector, []string, error) {
		return data[fleet.Role(expr)], nil, nil
	}
}

// TestHistogramRolesAnswerAsTables: the histogram roles are asked for as
// tables of the labels drift reads, the others as samples; a source that
// cannot answer with tables has its samples converted, to the same drift.
func TestHistogramRolesAnswerAsTables(t *testing.T) {
	qs, answer := computedQueries()
	opts := Options{Now: newFakeClock().Now, Queries: qs,
		Drift: histdrift.New(histdrift.Options{Method: "psi"})}

	tabled := &tableMetrics{fakeMetrics: fakeMetrics{answer: answer}, tables: map[string][]string{}}
	opts.Metrics = tabled
	withTables := New(opts).PollOnce(context.Background())
	want := map[string][]string{
		string(fleet.RoleFeatureBuckets):       histdrift.BucketColumns,
		string(fleet.RoleFeatureBucketsRef):    histdrift.BucketColumns,
		string(fleet.RoleFeatureCategories):    histdrift.CategoryColumns,
		string(fleet.RoleFeatureCategoriesRef): histdrift.CategoryColumns,
	}
	if len(tabled.tables) != len(want) {
		t.Errorf("asked for tables: %v, want the four histogram roles", tabled.tables)
	}
	for expr, cols := range want {
		if !slices.Equal(tabled.tables[expr], cols) {
			t.Errorf("%s asked for columns %v, want %v", expr, tabled.tables[expr], cols)
		}
	}
	for _, q := range withTables.Queries {
		if want := len(computedFleet()[q.Role]); q.Series != want {
			t.Errorf("%s: %d series, want %d", q.Name, q.Series, want)
		}
	}

	opts.Metrics = &fakeMetrics{answer: answer}
	opts.Drift = histdrift.New(histdrift.Options{Method: "psi"})
	plain := New(opts).PollOnce(context.Background())

	a := findVersion(t, findModel(t, withTables.Models, "churn"), "3").Drift
	b := findVersion(t, findModel(t, plain.Models, "churn"), "3").Drift
	if a == nil || b == nil || len(a.Features) != 3 || a.Prediction == nil {
		t.Fatalf("drift with tables %+v, from samples %+v", a, b)
	}
	if len(a.Features) != len(b.Features) || a.Prediction.Score != b.Prediction.Score {
		t.Fatalf("drift with tables %+v, from samples %+v", a, b)
	}
	for i := range a.Features {
		if a.Features[i].Feature != b.Features[i].Feature || a.Features[i].Score != b.Features[i].Score {
			t.Errorf("feature %d: %+v with tables, %+v from samples", i, a.Features[i], b.Features[i])
		}
	}
}

// buckets writes per-bucket counts as the feature_buckets query returns
// them: cumulative, one sample per bound.
func buckets(modelName, version, feature string, bounds, counts []float64) model.Vector {
	var out model.Vector
	acc := 0.0
	for i, b := range bounds {
		acc += counts[i]
		le := strconv.FormatFloat(b, 'g', -1, 64)
		if math.IsInf(b, 1) {
			le = "+Inf"
		}
		out = append(out, sample(acc, "model", modelName, "version", version, "feature", feature, "le", le))
	}
	return out
}

var (
	bounds4 = []float64{1, 2, 3, math.Inf(1)}
	flat    = []float64{250, 250, 250, 250}
	skewed  = []float64{40, 60, 300, 600}
)

func computedFleet() map[fleet.Role]model.Vector {
	return map[fleet.Role]model.Vector{
		fleet.RoleRequestRate: {sample(5, "model", "churn", "version", "3")},
		fleet.RoleDriftScore: {
			sample(0.02, "model", "churn", "version", "3", "feature", "tenure", "method", "psi"),
		},
		fleet.RoleFeatureBuckets: slices.Concat(
			buckets("churn", "3", "tenure", bounds4, skewed),
			buckets("churn", "3", "charges", bounds4, flat),
			buckets("churn", "3", "calls", bounds4, []float64{0, 0, 0, 0}),
			buckets("churn", "3", fleet.PredictionFeature, bounds4, skewed),
		),
		fleet.RoleFeatureBucketsRef: slices.Concat(
			buckets("churn", "3", "tenure", bounds4, flat),
			buckets("churn", "3", "charges", bounds4, flat),
			buckets("churn", "3", "calls", bounds4, flat),
			buckets("churn", "3", fleet.PredictionFeature, bounds4, flat),
		),
		fleet.RoleFeatureCategories: {
			sample(400, "model", "churn", "version", "3", "feature", "plan", "category", "basic"),
			sample(600, "model", "churn", "version", "3", "feature", "plan", "category", "premium"),
		},
		fleet.RoleFeatureCategoriesRef: {
			sample(400, "model", "churn", "version", "3", "feature", "plan", "category", "basic"),
			sample(600, "model", "churn", "version", "3", "feature", "plan", "category", "premium"),
		},
	}
}
