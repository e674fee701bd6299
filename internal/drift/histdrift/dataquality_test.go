package histdrift

import (
	"math"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

// missingSamples writes a feature_missing answer for one version: the
// predictions and each feature's missing count.
func missingSamples(modelName, version string, predictions float64, missing map[string]float64) *labelrows.Table {
	s := func(feature, counter string, v float64) *model.Sample {
		m := model.Metric{"model": model.LabelValue(modelName), "version": model.LabelValue(version), "counter": model.LabelValue(counter)}
		if feature != "" {
			m["feature"] = model.LabelValue(feature)
		}
		return &model.Sample{Metric: m, Value: model.SampleValue(v)}
	}
	vec := model.Vector{s("", fleet.CounterPredictions, predictions)}
	for f, n := range missing {
		vec = append(vec, s(f, fleet.CounterMissing, n))
	}
	return labelrows.FromVector(vec, MissingColumns)
}

func near(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %g", what, want)
		return
	}
	if math.Abs(*got-want) > 1e-12 {
		t.Errorf("%s = %g, want %g", what, *got, want)
	}
}

var v1 = VersionKey{Model: "churn", Version: "1"}

// TestDataQualityMissingShare: 1,000 predictions, 70 without tenure: 7 %
// missing; p₀ from the offset window's 10 of 2,000 = 0.5 %. income has no
// missing series while tenure has one: never missing, 0.
func TestDataQualityMissingShare(t *testing.T) {
	c := New(Options{OffsetLabel: "7d offset"})
	dq := c.DataQuality(Input{
		Buckets:    join(bucketSamples("churn", "1", "tenure", bounds5, even), bucketSamples("churn", "1", "income", bounds5, even)),
		BucketsRef: join(bucketSamples("churn", "1", "tenure", bounds5, even), bucketSamples("churn", "1", "income", bounds5, even)),
		Missing:    missingSamples("churn", "1", 1000, map[string]float64{"tenure": 70}),
		MissingRef: missingSamples("churn", "1", 2000, map[string]float64{"tenure": 10}),
	})[v1]
	near(t, "predictions", dq.Predictions, 1000)
	tenure, income := dq.Feature("tenure"), dq.Feature("income")
	near(t, "tenure missing", tenure.MissingShare, 0.07)
	near(t, "tenure p0", tenure.ReferenceMissingShare, 0.005)
	near(t, "income missing", income.MissingShare, 0)
	near(t, "income p0", income.ReferenceMissingShare, 0)
	if dq.Reference != "7d offset" || dq.Schema != nil {
		t.Errorf("reference %q schema %v", dq.Reference, dq.Schema)
	}

	// Without any missing series the exporter does not count them:
	// unknown, not 0.
	dq = c.DataQuality(Input{Buckets: bucketSamples("churn", "1", "tenure", bounds5, even), Missing: missingSamples("churn", "1", 1000, nil)})[v1]
	if f := dq.Feature("tenure"); f != nil && f.MissingShare != nil {
		t.Errorf("no missing series: %+v", f)
	}
}

// TestDataQualityOutOfRange: the reference has nothing above 3 (buckets
// (3,4] and (4,+Inf] empty); now 30 + 20 of 1,000 fall there: 5 %.
func TestDataQualityOutOfRange(t *testing.T) {
	c := New(Options{})
	dq := c.DataQuality(Input{
		Buckets:    bucketSamples("churn", "1", "tenure", bounds5, []float64{300, 300, 350, 30, 20}),
		BucketsRef: bucketSamples("churn", "1", "tenure", bounds5, []float64{400, 400, 200, 0, 0}),
	})[v1]
	near(t, "out of range", dq.Feature("tenure").OutOfRangeShare, 0.05)

	// A profile with other buckets: its recorded range (1, 3] decides.
	// Current buckets (−Inf,0.5] 10 and (0.5,1] 40 lie wholly below 1,
	// (4,8] 25 and (8,+Inf] 25 wholly above 3; (1,4] 900 overlaps: 100
	// of 1,000 out, 10 %.
	lo, hi := Bound(1), Bound(3)
	prof := Profile{Version: ProfileVersion, Features: map[string]FeatureProfile{
		"tenure": {Bounds: []Bound{10, Bound(inf)}, Counts: []float64{100, 0}, Min: &lo, Max: &hi},
	}}
	tag, err := prof.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	dq = c.DataQuality(Input{
		Buckets:  bucketSamples("churn", "1", "tenure", []float64{0.5, 1, 4, 8, inf}, []float64{10, 40, 900, 25, 25}),
		Profiles: map[VersionKey]string{v1: string(tag)},
	})[v1]
	near(t, "out of recorded range", dq.Feature("tenure").OutOfRangeShare, 0.1)
	if dq.Reference != SourceRegistry {
		t.Errorf("reference %q", dq.Reference)
	}
}

// TestDataQualityUnseen: seven categories the reference never saw, of
// 1,000 observations: 60+50+40+30+20+10+10 = 220, 22 %; the five largest
// named, ties by name.
func TestDataQualityUnseen(t *testing.T) {
	c := New(Options{})
	dq := c.DataQuality(Input{
		Categories: categorySamples("churn", "1", "plan", map[string]float64{
			"basic": 500, "pro": 280, "gold": 60, "silver": 50, "bronze": 40, "tin": 30, "x": 20, "y": 10, "z": 10}),
		CategoriesRef: categorySamples("churn", "1", "plan", map[string]float64{"basic": 900, "pro": 100, "legacy": 0}),
	})[v1]
	f := dq.Feature("plan")
	near(t, "unseen share", f.UnseenShare, 0.22)
	want := []fleet.CategoryShare{{Category: "gold", Share: 0.06}, {Category: "silver", Share: 0.05}, {Category: "bronze", Share: 0.04},
		{Category: "tin", Share: 0.03}, {Category: "x", Share: 0.02}}
	if len(f.Unseen) != len(want) {
		t.Fatalf("unseen %v", f.Unseen)
	}
	for i, w := range want {
		if f.Unseen[i].Category != w.Category || math.Abs(f.Unseen[i].Share-w.Share) > 1e-12 {
			t.Errorf("unseen[%d] = %+v, want %+v", i, f.Unseen[i], w)
		}
	}
}

// TestDataQualitySilentAndSchema: the reference has tenure and plan;
// now tenure has no observation (its buckets all 0), region is new and
// plan turned numeric. Predictions flow (1,000): tenure is absent.
func TestDataQualitySilentAndSchema(t *testing.T) {
	c := New(Options{})
	dq := c.DataQuality(Input{
		Buckets: join(bucketSamples("churn", "1", "tenure", bounds5, []float64{0, 0, 0, 0, 0}),
			bucketSamples("churn", "1", "plan", bounds5, even)),
		BucketsRef:    bucketSamples("churn", "1", "tenure", bounds5, even),
		Categories:    categorySamples("churn", "1", "region", map[string]float64{"eu": 10}),
		CategoriesRef: categorySamples("churn", "1", "plan", map[string]float64{"basic": 10}),
		Missing:       missingSamples("churn", "1", 1000, nil),
	})[v1]
	if f := dq.Feature("tenure"); f == nil || !f.Absent {
		t.Errorf("tenure %+v, want absent", f)
	}
	want := []fleet.SchemaChange{{Feature: "plan", Change: fleet.SchemaType}, {Feature: "region", Change: fleet.SchemaAdded},
		{Feature: "tenure", Change: fleet.SchemaRemoved}}
	if len(dq.Schema) != len(want) {
		t.Fatalf("schema %v, want %v", dq.Schema, want)
	}
	for i := range want {
		if dq.Schema[i] != want[i] {
			t.Errorf("schema[%d] = %v, want %v", i, dq.Schema[i], want[i])
		}
	}

	// No current histogram at all, predictions counted: the version is
	// still measured, but nothing can be told absent (the window's
	// histograms did not answer).
	dq = c.DataQuality(Input{BucketsRef: bucketSamples("churn", "1", "tenure", bounds5, even), Missing: missingSamples("churn", "1", 5, nil)})[v1]
	if f := dq.Feature("tenure"); f == nil || f.Absent || f.Unknown == "" {
		t.Errorf("no histograms now: tenure %+v, want unknown", f)
	}
	// Without a reference nothing is a schema change or absent: nothing
	// measured, no data quality.
	if got := c.DataQuality(Input{Buckets: bucketSamples("churn", "1", "tenure", bounds5, even)}); got != nil {
		t.Errorf("no reference: %+v", got)
	}
	// A reference window whose series stood still is no reference.
	if got := c.DataQuality(Input{Buckets: bucketSamples("churn", "1", "tenure", bounds5, even),
		BucketsRef: bucketSamples("churn", "1", "income", bounds5, []float64{0, 0, 0, 0, 0})}); got != nil {
		t.Errorf("an idle reference: %+v", got)
	}
	// Predictions alone measure nothing either.
	if got := c.DataQuality(Input{Missing: missingSamples("churn", "1", 1000, nil)}); got != nil {
		t.Errorf("predictions only: %+v", got)
	}
}

// TestProfileRecordsRangeAndMissing: the reference's non-empty buckets
// run from (1,2] to (3,4]: min 1, max 4; tenure 3 missing of 600
// predictions, 0.5 %. A profile without the new fields still reads.
func TestProfileRecordsRangeAndMissing(t *testing.T) {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	p, _, err := ProfileFromTables(bucketSamples("churn", "1", "tenure", bounds5, []float64{0, 100, 300, 200, 0}), nil, "churn", "1", at.Add(-time.Hour), at)
	if err != nil {
		t.Fatal(err)
	}
	p.AddMissing(missingSamples("churn", "1", 600, map[string]float64{"tenure": 3}), "churn", "1")
	f := p.Features["tenure"]
	if f.Min == nil || *f.Min != 1 || f.Max == nil || *f.Max != 4 {
		t.Errorf("range %v %v, want (1, 4]", f.Min, f.Max)
	}
	near(t, "missing share", f.MissingShare, 0.005)
	tag, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseProfile(tag); err != nil {
		t.Errorf("round trip: %v", err)
	}
	old := `{"version":1,"features":{"tenure":{"bounds":[1,"+Inf"],"counts":[5,5]}}}`
	if _, err := ParseProfile([]byte(old)); err != nil {
		t.Errorf("a profile without min, max and missing_share: %v", err)
	}
	bad := `{"version":1,"features":{"tenure":{"bounds":[1,"+Inf"],"counts":[5,5],"missing_share":1.5}}}`
	if _, err := ParseProfile([]byte(bad)); err == nil {
		t.Error("missing share 1.5 accepted")
	}
}

// TestDataQualityReusesItsAnswer: the same tables give the same measures
// without sharing them (the judge writes into what it gets).
func TestDataQualityReusesItsAnswer(t *testing.T) {
	c := New(Options{})
	in := Input{Missing: missingSamples("churn", "1", 100, map[string]float64{"tenure": 7})}
	a := c.DataQuality(in)[v1]
	*a.Feature("tenure").MissingShare = 0.5
	b := c.DataQuality(in)[v1]
	near(t, "second answer", b.Feature("tenure").MissingShare, 0.07)
}

// BenchmarkDataQualityFleet measures one refresh whose histograms were
// re-read: 1,000 models × 20 features × 20 buckets, both windows.
func BenchmarkDataQualityFleet(b *testing.B) {
	_, in2, _, _, _, _ := benchInput()
	c := New(Options{})
	b.ReportAllocs()
	for b.Loop() {
		c.lastDQ.valid = false
		c.DataQuality(in2)
	}
}
