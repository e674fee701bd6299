package histdrift

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

var churn3 = VersionKey{"churn", "3"}

func feature(t *testing.T, r Result, name string) fleet.FeatureDrift {
	t.Helper()
	for _, f := range r.Features {
		if f.Feature == name {
			return f
		}
	}
	t.Fatalf("no feature %q in %+v", name, r)
	return fleet.FeatureDrift{}
}

func TestOffsetReferenceMatchesDrift(t *testing.T) {
	c := New(Options{Method: "psi", OffsetLabel: "7d offset"})
	res := c.Compute(Input{
		Buckets: join(
			bucketSamples("churn", "3", "tenure", bounds5, shifted),
			bucketSamples("churn", "3", "charges", bounds5, scale(even, 0.5)),
		),
		BucketsRef: join(
			bucketSamples("churn", "3", "tenure", bounds5, even),
			bucketSamples("churn", "3", "charges", bounds5, even),
		),
	})
	r, ok := res[churn3]
	if !ok || len(res) != 1 {
		t.Fatalf("results = %+v", res)
	}
	if r.Reference != "7d offset" || r.ReferenceError != "" || len(r.NoData) != 0 {
		t.Errorf("reference %q, error %q, no data %v", r.Reference, r.ReferenceError, r.NoData)
	}
	want, err := drift.PopulationStabilityIndex(even, shifted)
	if err != nil {
		t.Fatal(err)
	}
	tenure := feature(t, r, "tenure")
	if tenure.Method != drift.PSI || math.Abs(tenure.Score-want) > 1e-12 || !drifted(tenure) {
		t.Errorf("tenure = %+v, want psi %g drifted", tenure, want)
	}
	if tenure.Threshold == nil || *tenure.Threshold != 0.1 || tenure.PValue != nil {
		t.Errorf("tenure threshold/p-value = %v/%v", tenure.Threshold, tenure.PValue)
	}
	charges := feature(t, r, "charges")
	if charges.Score > 1e-12 || drifted(charges) {
		t.Errorf("same shape at half the volume = %+v, want psi 0", charges)
	}
	if r.Features[0].Feature != "charges" {
		t.Errorf("features not sorted: %+v", r.Features)
	}
}

func TestAutoPicksByReferenceSize(t *testing.T) {
	for _, tc := range []struct {
		refScale float64
		want     string
	}{{1, drift.KS}, {2, drift.Wasserstein}} { // 1,000 reference rows: ks; 2,000: wasserstein
		c := New(Options{})
		r := c.Compute(Input{
			Buckets:    bucketSamples("churn", "3", "tenure", bounds5, shifted),
			BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, scale(even, tc.refScale)),
		})[churn3]
		f := feature(t, r, "tenure")
		if f.Method != tc.want {
			t.Errorf("reference of %g: method %s, want %s", 1000*tc.refScale, f.Method, tc.want)
		}
		if (f.PValue != nil) != drift.IsPValue(tc.want) {
			t.Errorf("%s: p-value %v", tc.want, f.PValue)
		}
		if !drifted(f) {
			t.Errorf("%s: a large shift not drifted: %+v", tc.want, f)
		}
	}
}

func TestConfiguredThresholdApplies(t *testing.T) {
	c := New(Options{Method: "PSI", Thresholds: map[string]float64{"psi": 0.9}})
	r := c.Compute(Input{
		Buckets:    bucketSamples("churn", "3", "tenure", bounds5, shifted),
		BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, even),
	})[churn3]
	f := feature(t, r, "tenure")
	if *f.Threshold != 0.9 || drifted(f) {
		t.Errorf("with threshold 0.9: %+v (score %g)", f, f.Score)
	}
}

// TestSampleOrderDoesNotMatter: rows in any order, from several models
// with several versions each (one of them without a version label), give
// the same verdicts, reusing one calculator from answer to answer as the
// poller does.
func TestSampleOrderDoesNotMatter(t *testing.T) {
	var cur, ref model.Vector
	for m, name := range []string{"churn", "fraud", "ranker"} {
		for _, version := range []string{"3", "4", ""} {
			for f, feat := range []string{"tenure", "age", "plan_len"} {
				shape := [][]float64{shifted, even, scale(shifted, 2)}[(m+f)%3]
				cur = append(cur, bucketVec(name, version, feat, bounds5, shape)...)
				ref = append(ref, bucketVec(name, version, feat, bounds5, even)...)
			}
		}
	}
	for _, s := range slices.Concat(cur, ref) {
		if s.Metric["version"] == "" {
			delete(s.Metric, "version")
		}
	}
	tab := func(v model.Vector) *labelrows.Table { return labelrows.FromVector(v, BucketColumns) }
	want := New(Options{MinPerBucket: -1}).Compute(Input{Buckets: tab(cur), BucketsRef: tab(ref)})
	if len(want) != 9 {
		t.Fatalf("%d versions judged, want 9", len(want))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	calc := New(Options{MinPerBucket: -1})
	for range 20 {
		c2, r2 := slices.Clone(cur), slices.Clone(ref)
		rng.Shuffle(len(c2), func(i, j int) { c2[i], c2[j] = c2[j], c2[i] })
		rng.Shuffle(len(r2), func(i, j int) { r2[i], r2[j] = r2[j], r2[i] })
		got := calc.Compute(Input{Buckets: tab(c2), BucketsRef: tab(r2)})
		if len(got) != len(want) {
			t.Fatalf("shuffled: %d versions, want %d", len(got), len(want))
		}
		for vk, w := range want {
			g := got[vk]
			if len(g.Features) != 3 {
				t.Fatalf("shuffled: %v: %+v", vk, g.Features)
			}
			for i := range w.Features {
				if g.Features[i].Feature != w.Features[i].Feature || g.Features[i].Score != w.Features[i].Score {
					t.Fatalf("shuffled: %v: %+v, want %+v", vk, g.Features, w.Features)
				}
			}
		}
	}
}

func TestEmptyWindowsAreNoData(t *testing.T) {
	c := New(Options{})
	r := c.Compute(Input{
		Buckets: join(
			bucketSamples("churn", "3", "idle", bounds5, make([]float64, 5)),
			bucketSamples("churn", "3", "new", bounds5, even),
			bucketSamples("churn", "3", "tenure", bounds5, even),
		),
		BucketsRef: join(
			bucketSamples("churn", "3", "idle", bounds5, even),
			bucketSamples("churn", "3", "tenure", bounds5, even),
		),
		Categories: categorySamples("churn", "3", "plan", map[string]float64{"basic": 3}),
	})[churn3]
	if want := []string{"idle", "new", "plan"}; !slices.Equal(r.NoData, want) {
		t.Errorf("no data = %v, want %v", r.NoData, want)
	}
	if len(r.Features) != 1 || r.Features[0].Feature != "tenure" {
		t.Errorf("features = %+v, want tenure only", r.Features)
	}
}

func TestBucketsThatDoNotLineUpAreNoData(t *testing.T) {
	r := New(Options{}).Compute(Input{
		Buckets:    bucketSamples("churn", "3", "tenure", bounds5, even),
		BucketsRef: bucketSamples("churn", "3", "tenure", []float64{1, 2, 3, 5, inf}, even),
	})[churn3]
	if !slices.Equal(r.NoData, []string{"tenure"}) || len(r.Features) != 0 {
		t.Errorf("re-bucketed reference: %+v", r)
	}
}

func TestPredictionIsItsOwnRow(t *testing.T) {
	r := New(Options{Method: "psi"}).Compute(Input{
		Buckets:    bucketSamples("churn", "3", fleet.PredictionFeature, bounds5, shifted),
		BucketsRef: bucketSamples("churn", "3", fleet.PredictionFeature, bounds5, even),
	})[churn3]
	if r.Prediction == nil || r.Prediction.Feature != fleet.PredictionFeature || !drifted(*r.Prediction) || len(r.Features) != 0 {
		t.Errorf("prediction = %+v, features %+v", r.Prediction, r.Features)
	}
}

func TestCategoricalAuto(t *testing.T) {
	small := map[string]float64{"yes": 300, "no": 700}
	for _, tc := range []struct {
		name     string
		ref, cur map[string]float64
		method   string
		drifted  bool
	}{
		{"two values, small reference", small, map[string]float64{"yes": 30, "no": 70}, drift.Z, false},
		{"many values, small reference", map[string]float64{"a": 300, "b": 300, "c": 400}, map[string]float64{"a": 10, "b": 10, "c": 80}, drift.ChiSquare, true},
		{"large reference", map[string]float64{"a": 3000, "b": 3000, "c": 4000}, map[string]float64{"a": 300, "b": 310, "c": 390}, drift.JensenShann, false},
		{"unseen category", small, map[string]float64{"yes": 30, "no": 70, "maybe": 5}, drift.ChiSquare, true},
	} {
		r := New(Options{}).Compute(Input{
			Categories:    categorySamples("churn", "3", "plan", tc.cur),
			CategoriesRef: categorySamples("churn", "3", "plan", tc.ref),
		})[churn3]
		f := feature(t, r, "plan")
		if f.Method != tc.method || drifted(f) != tc.drifted {
			t.Errorf("%s: %+v (score %g), want %s drifted=%v", tc.name, f, f.Score, tc.method, tc.drifted)
		}
	}
}

func TestMethodThatDoesNotApplyFallsBackToAuto(t *testing.T) {
	r := New(Options{Method: "ks"}).Compute(Input{
		Buckets:       bucketSamples("churn", "3", "tenure", bounds5, shifted),
		BucketsRef:    bucketSamples("churn", "3", "tenure", bounds5, even),
		Categories:    categorySamples("churn", "3", "plan", map[string]float64{"a": 10, "b": 10, "c": 80}),
		CategoriesRef: categorySamples("churn", "3", "plan", map[string]float64{"a": 300, "b": 300, "c": 400}),
	})[churn3]
	if f := feature(t, r, "tenure"); f.Method != drift.KS {
		t.Errorf("tenure method %s, want ks", f.Method)
	}
	if f := feature(t, r, "plan"); f.Method != drift.ChiSquare {
		t.Errorf("ks on categories: method %s, want auto's chisquare", f.Method)
	}
	r = New(Options{Method: "z"}).Compute(Input{
		Buckets:    bucketSamples("churn", "3", "tenure", bounds5, shifted),
		BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, even),
	})[churn3]
	if f := feature(t, r, "tenure"); f.Method != drift.KS {
		t.Errorf("z on five buckets: method %s, want auto's ks", f.Method)
	}
}

func TestReferenceCacheFollowsNewSamples(t *testing.T) {
	c := New(Options{Method: "psi"})
	cur := bucketSamples("churn", "3", "tenure", bounds5, shifted)
	ref := bucketSamples("churn", "3", "tenure", bounds5, even)
	first := feature(t, c.Compute(Input{Buckets: cur, BucketsRef: ref})[churn3], "tenure")
	again := feature(t, c.Compute(Input{Buckets: cur, BucketsRef: join(ref)})[churn3], "tenure")
	if again.Score != first.Score {
		t.Errorf("same reference samples: %g then %g", first.Score, again.Score)
	}
	if !c.refNum.hit {
		t.Error("the same reference table was grouped again")
	}
	// An equal reference in a new table, as a re-run query answers.
	c.Compute(Input{Buckets: cur, BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, even)})
	if c.refNum.hit {
		t.Error("a new reference table was not grouped")
	}
	// A new answer to the reference query: new samples, new distribution.
	moved := feature(t, c.Compute(Input{Buckets: cur, BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, shifted)})[churn3], "tenure")
	if moved.Score > 1e-12 {
		t.Errorf("reference now equals current, psi %g", moved.Score)
	}
}

func TestResultsShareNothing(t *testing.T) {
	c := New(Options{Method: "psi"})
	in := Input{
		Buckets:    bucketSamples("churn", "3", "tenure", bounds5, shifted),
		BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, even),
	}
	a := c.Compute(in)[churn3]
	want := a.Features[0].Score
	*a.Features[0].Threshold = 42
	a.Features[0].Score = -1
	b := c.Compute(in)[churn3]
	if b.Features[0].Score != want || *b.Features[0].Threshold != 0.1 || !drifted(b.Features[0]) {
		t.Errorf("second result changed by the first's caller: %+v", b.Features[0])
	}
}

func TestSamplesWithoutLabelsAreIgnored(t *testing.T) {
	bad := model.Vector{
		nil,
		{Metric: model.Metric{"version": "3", "feature": "x", "le": "+Inf"}, Value: 3},
		{Metric: model.Metric{"model": "churn", "version": "3", "le": "+Inf"}, Value: 3},
		{Metric: model.Metric{"model": "churn", "version": "3", "feature": "x", "le": "wide"}, Value: 3},
		{Metric: model.Metric{"model": "churn", "version": "3", "feature": "x", "category": ""}, Value: 3},
	}
	res := New(Options{}).Compute(Input{
		Buckets:    labelrows.FromVector(bad[:4], BucketColumns),
		Categories: labelrows.FromVector(bad[4:], CategoryColumns),
		BucketsRef: labelrows.FromVector(bad, BucketColumns),
	})
	if len(res) != 0 {
		t.Errorf("results from unusable samples: %+v", res)
	}
}

func TestNoHistogramsNoResults(t *testing.T) {
	if res := New(Options{}).Compute(Input{BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, even)}); res != nil {
		t.Errorf("results without current data: %+v", res)
	}
}

func TestReferenceLabelJoinsBothSources(t *testing.T) {
	prof := `{"version": 1, "features": {"tenure": {"bounds": [1, 2, 3, 4, "+Inf"], "counts": [200, 200, 200, 200, 200]}}}`
	r := New(Options{OffsetLabel: "7d offset"}).Compute(Input{
		Buckets:    join(bucketSamples("churn", "3", "tenure", bounds5, even), bucketSamples("churn", "3", "age", bounds5, even)),
		BucketsRef: bucketSamples("churn", "3", "age", bounds5, even),
		Profiles:   map[VersionKey]string{churn3: prof},
	})[churn3]
	if r.Reference != "registry, 7d offset" || len(r.Features) != 2 {
		t.Errorf("reference %q, features %+v", r.Reference, r.Features)
	}
	if !strings.Contains(r.Reference, SourceRegistry) {
		t.Errorf("reference %q", r.Reference)
	}
}

// TestUnchangedInputGivesTheSameAnswer: a refresh whose histogram queries
// were not re-run (the same samples) gets the same results; a new profile
// text is a new input.
func TestUnchangedInputGivesTheSameAnswer(t *testing.T) {
	c := New(Options{Method: "psi", OffsetLabel: "7d offset"})
	in := Input{
		Buckets:    bucketSamples("churn", "3", "tenure", bounds5, shifted),
		BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, even),
	}
	first := c.Compute(in)[churn3]
	again := c.Compute(in)[churn3]
	if again.Reference != first.Reference || len(again.Features) != 1 || again.Features[0].Score != first.Features[0].Score {
		t.Errorf("same input: %+v then %+v", first, again)
	}
	if &again.Features[0] == &first.Features[0] || again.Features[0].Threshold == first.Features[0].Threshold {
		t.Error("the second answer shares memory with the first")
	}
	in.Profiles = map[VersionKey]string{churn3: `{"version": 1, "features": {"tenure": {"bounds": [1, 2, 3, 4, "+Inf"], "counts": [50, 100, 200, 300, 350]}}}`}
	withProfile := c.Compute(in)[churn3]
	if withProfile.Reference != SourceRegistry || withProfile.Features[0].Score > 1e-12 {
		t.Errorf("after a profile appeared: %+v", withProfile)
	}
}

// TestTooFewObservationsForADistance: PSI on 200 observations over five
// buckets (fewer than 50 a bucket) is noise, so no verdict; KS weighs the
// sample size itself and judges.
func TestTooFewObservationsForADistance(t *testing.T) {
	in := Input{
		Buckets:    bucketSamples("churn", "3", "tenure", bounds5, scale(shifted, 0.2)),
		BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, even),
	}
	r := New(Options{Method: "psi"}).Compute(in)[churn3]
	if len(r.Features) != 0 || !slices.Equal(r.NoData, []string{"tenure"}) {
		t.Errorf("psi on 200 observations: %+v", r)
	}
	r = New(Options{Method: "ks"}).Compute(in)[churn3]
	if len(r.Features) != 1 || len(r.NoData) != 0 {
		t.Errorf("ks on 200 observations: %+v", r)
	}
	r = New(Options{Method: "psi", MinPerBucket: 40}).Compute(in)[churn3]
	if len(r.Features) != 1 {
		t.Errorf("psi with a minimum of 40 a bucket: %+v", r)
	}
	cats := Input{
		Categories:    categorySamples("churn", "3", "plan", map[string]float64{"a": 60, "b": 30}),
		CategoriesRef: categorySamples("churn", "3", "plan", map[string]float64{"a": 600, "b": 400}),
	}
	if r := New(Options{Method: "psi"}).Compute(cats)[churn3]; len(r.Features) != 0 {
		t.Errorf("psi on 90 observations of two categories: %+v", r)
	}
}

// TestTooFewCarriesTheCounts: a feature without a verdict for too few
// observations says how many there were, in which window, and how many
// its distance needs, so the screens can tell it from "no data".
func TestTooFewCarriesTheCounts(t *testing.T) {
	in := Input{
		Buckets:    bucketSamples("churn", "3", "tenure", bounds5, scale(shifted, 0.2)),
		BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, even),
	}
	r := New(Options{Method: "psi"}).Compute(in)[churn3]
	if len(r.TooFew) != 1 {
		t.Fatalf("too few: %+v", r)
	}
	f := r.TooFew[0]
	if f.Feature != "tenure" || f.Method != "psi" || f.Source != fleet.DriftComputed || f.Drifted != nil ||
		f.Observations == nil || *f.Observations != 200 || f.MinObservations == nil || *f.MinObservations != 500 ||
		f.ObservationsWindow != WindowCurrent {
		t.Errorf("too few: %+v (observations %v of %v)", f, deref(f.Observations), deref(f.MinObservations))
	}
	// The reference short: the reference's count is the one reported.
	in.Buckets, in.BucketsRef = in.BucketsRef, in.Buckets
	r = New(Options{Method: "psi"}).Compute(in)[churn3]
	if len(r.TooFew) != 1 || r.TooFew[0].ObservationsWindow != WindowReference || *r.TooFew[0].Observations != 200 {
		t.Errorf("reference short: %+v", r.TooFew)
	}
	// A minimum the data meets: judged, nothing too few.
	r = New(Options{Method: "psi", MinPerBucket: 40}).Compute(in)[churn3]
	if len(r.TooFew) != 0 || len(r.Features) != 1 || r.Features[0].Source != fleet.DriftComputed {
		t.Errorf("with a minimum of 40 a bucket: %+v", r)
	}
	// An empty window is no data, not too few.
	in.Buckets = nil
	r = New(Options{Method: "psi"}).Compute(in)[churn3]
	if len(r.TooFew) != 0 {
		t.Errorf("empty current window listed as too few: %+v", r.TooFew)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestLargeFleetJudgedOnAllCores: a fleet large enough to be judged in
// parallel gets the verdicts each version gets alone.
func TestLargeFleetJudgedOnAllCores(t *testing.T) {
	const versions, features = 450, 20
	if rows := versions * features * len(bounds5); rows < 2*minRowsPerWorker {
		t.Fatalf("%d rows do not reach the parallel path", rows)
	}
	rng := rand.New(rand.NewPCG(8, 9))
	var all, allRef model.Vector
	alone := map[VersionKey]Input{}
	for v := range versions {
		vk := VersionKey{Model: "m" + strconv.Itoa(v), Version: "1"}
		var cur, ref model.Vector
		for f := range features {
			counts := make([]float64, len(bounds5))
			for i := range counts {
				counts[i] = float64(100 + rng.IntN(200))
			}
			cur = append(cur, bucketVec(vk.Model, vk.Version, "f"+strconv.Itoa(f), bounds5, counts)...)
			ref = append(ref, bucketVec(vk.Model, vk.Version, "f"+strconv.Itoa(f), bounds5, even)...)
		}
		all, allRef = append(all, cur...), append(allRef, ref...)
		alone[vk] = Input{Buckets: labelrows.FromVector(cur, BucketColumns), BucketsRef: labelrows.FromVector(ref, BucketColumns)}
	}
	got := New(Options{}).Compute(Input{Buckets: labelrows.FromVector(all, BucketColumns), BucketsRef: labelrows.FromVector(allRef, BucketColumns)})
	if len(got) != versions {
		t.Fatalf("%d versions judged", len(got))
	}
	for vk, in := range alone {
		want := New(Options{}).Compute(in)[vk]
		g := got[vk]
		if len(g.Features) != features || len(want.Features) != features {
			t.Fatalf("%v: %d features, alone %d", vk, len(g.Features), len(want.Features))
		}
		for i := range want.Features {
			if g.Features[i] != want.Features[i] && (g.Features[i].Score != want.Features[i].Score || drifted(g.Features[i]) != drifted(want.Features[i])) {
				t.Fatalf("%v %s: %+v, alone %+v", vk, want.Features[i].Feature, g.Features[i], want.Features[i])
			}
		}
	}
}
