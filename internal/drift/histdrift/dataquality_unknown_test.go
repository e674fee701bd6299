package histdrift

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

// TestDataQualityUnreadWindowIsUnknown: the reference has tenure
// (numeric) and plan (categorical); the missing counts answered, the
// window's histograms did not (a first read that timed out, a read
// without them). Neither feature is absent nor a schema change: whether
// it has values is unknown, and says why.
func TestDataQualityUnreadWindowIsUnknown(t *testing.T) {
	c := New(Options{})
	in := Input{
		BucketsRef:    bucketSamples("churn", "1", "tenure", bounds5, even),
		CategoriesRef: categorySamples("churn", "1", "plan", map[string]float64{"basic": 500, "pro": 500}),
		Missing:       missingSamples("churn", "1", 1000, map[string]float64{"tenure": 0}),
	}
	dq := c.DataQuality(in)[v1]
	for _, name := range []string{"tenure", "plan"} {
		f := dq.Feature(name)
		if f == nil || f.Absent || f.Unknown == "" {
			t.Errorf("nothing read: %s %+v, want unknown, not absent", name, f)
		}
	}
	if len(dq.Schema) != 0 {
		t.Errorf("nothing read: schema %v", dq.Schema)
	}

	// The bucket table answered (another version's rows), the category
	// table did not: tenure (no missing series: its share unknown) is
	// absent, plan still unknown.
	in.Buckets = bucketSamples("churn", "2", "tenure", bounds5, even)
	in.Missing = missingSamples("churn", "1", 1000, nil)
	dq = c.DataQuality(in)[v1]
	if f := dq.Feature("tenure"); f == nil || !f.Absent || f.Unknown != "" {
		t.Errorf("buckets read: tenure %+v, want absent", f)
	}
	if f := dq.Feature("plan"); f == nil || f.Absent || !strings.Contains(f.Unknown, "category counts were not read") {
		t.Errorf("categories unread: plan %+v, want unknown", f)
	}
	if len(dq.Schema) != 1 || dq.Schema[0] != (fleet.SchemaChange{Feature: "tenure", Change: fleet.SchemaRemoved}) {
		t.Errorf("buckets read: schema %v, want tenure removed only", dq.Schema)
	}
}

// TestDataQualityCountedValuesAreNotAbsent: tenure has no histogram
// observation, but 100 of 1,000 predictions missed it: 90 % had a value,
// so it is not silent.
func TestDataQualityCountedValuesAreNotAbsent(t *testing.T) {
	c := New(Options{})
	dq := c.DataQuality(Input{
		Buckets:    bucketSamples("churn", "1", "income", bounds5, even),
		BucketsRef: join(bucketSamples("churn", "1", "tenure", bounds5, even), bucketSamples("churn", "1", "income", bounds5, even)),
		Missing:    missingSamples("churn", "1", 1000, map[string]float64{"tenure": 100}),
	})[v1]
	if f := dq.Feature("tenure"); f == nil || f.Absent || !strings.Contains(f.Unknown, "90 %") {
		t.Errorf("tenure %+v, want not absent, values counted", f)
	}
	if len(dq.Schema) != 0 {
		t.Errorf("schema %v", dq.Schema)
	}
	// Every prediction missed it: absent.
	dq = c.DataQuality(Input{
		Buckets:    bucketSamples("churn", "1", "income", bounds5, even),
		BucketsRef: join(bucketSamples("churn", "1", "tenure", bounds5, even), bucketSamples("churn", "1", "income", bounds5, even)),
		Missing:    missingSamples("churn", "1", 1000, map[string]float64{"tenure": 1000}),
	})[v1]
	if f := dq.Feature("tenure"); f == nil || !f.Absent {
		t.Errorf("all missing: tenure %+v, want absent", f)
	}
}

// TestDataQualityOutOfRangeIgnoresGaps: the reference [100,100,0,100,100]
// has an empty bucket inside its range; an even window has nothing below
// its first or above its last non-empty bucket: 0 % out of range (not
// the gap's 20 %).
func TestDataQualityOutOfRangeIgnoresGaps(t *testing.T) {
	c := New(Options{})
	dq := c.DataQuality(Input{
		Buckets:    bucketSamples("churn", "1", "tenure", bounds5, even),
		BucketsRef: bucketSamples("churn", "1", "tenure", bounds5, []float64{100, 100, 0, 100, 100}),
	})[v1]
	near(t, "out of range", dq.Feature("tenure").OutOfRangeShare, 0)
}

// TestDataQualityTooFewObservations: 50 observations are fewer than
// fleet.MinObservations: out-of-range and unseen shares are not measured
// (one stray value would be 2 %), and say why.
func TestDataQualityTooFewObservations(t *testing.T) {
	c := New(Options{})
	dq := c.DataQuality(Input{
		Buckets:       bucketSamples("churn", "1", "tenure", bounds5, []float64{10, 10, 10, 10, 10}),
		BucketsRef:    bucketSamples("churn", "1", "tenure", bounds5, []float64{100, 100, 100, 0, 0}),
		Categories:    categorySamples("churn", "1", "plan", map[string]float64{"basic": 40, "gold": 10}),
		CategoriesRef: categorySamples("churn", "1", "plan", map[string]float64{"basic": 1000}),
	})[v1]
	tenure, plan := dq.Feature("tenure"), dq.Feature("plan")
	if tenure == nil || tenure.OutOfRangeShare != nil || !strings.Contains(tenure.TooFew, "50 observations") {
		t.Errorf("tenure %+v, want no out-of-range share, too few", tenure)
	}
	if plan == nil || plan.UnseenShare != nil || plan.Unseen != nil || !strings.Contains(plan.TooFew, "50 observations") {
		t.Errorf("plan %+v, want no unseen share, too few", plan)
	}
}

// TestDataQualityUncountedFeatureCanBeAbsent: tenure has no missing
// series of its own while income has one; its share reads 0 (never
// missing), but that is no count of its values: an exporter that no
// longer sees a feature writes no series for it. Absent.
func TestDataQualityUncountedFeatureCanBeAbsent(t *testing.T) {
	c := New(Options{})
	dq := c.DataQuality(Input{
		Buckets:    bucketSamples("churn", "1", "income", bounds5, even),
		BucketsRef: join(bucketSamples("churn", "1", "tenure", bounds5, even), bucketSamples("churn", "1", "income", bounds5, even)),
		Missing:    missingSamples("churn", "1", 1000, map[string]float64{"income": 0}),
	})[v1]
	if f := dq.Feature("tenure"); f == nil || !f.Absent || f.Unknown != "" {
		t.Errorf("tenure %+v, want absent", f)
	}
}
