package histdrift

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

const goodProfile = `{
  "version": 1,
  "features": {
    "tenure": {"bounds": [1, 2, "3", 4, "+Inf"], "counts": [200, 200, 200, 200, 200]},
    "plan": {"categories": {"basic": 120, "premium": 80}},
    "__prediction__": {"bounds": [0.5, "+Inf"], "counts": [700, 300]}
  },
  "created_at": "2026-11-20T03:00:00Z",
  "window": {"from": "2026-11-19T03:00:00Z", "to": "2026-11-20T03:00:00Z"}
}`

func TestParseProfile(t *testing.T) {
	p, err := ParseProfile([]byte(goodProfile))
	if err != nil {
		t.Fatal(err)
	}
	tenure := p.Features["tenure"]
	if !tenure.Numeric() || float64(tenure.Bounds[2]) != 3 || !math.IsInf(float64(tenure.Bounds[4]), 1) {
		t.Errorf("tenure = %+v", tenure)
	}
	if p.Features["plan"].Numeric() || p.Features["plan"].Categories["basic"] != 120 {
		t.Errorf("plan = %+v", p.Features["plan"])
	}
	if p.Window == nil || !p.Window.To.Equal(time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)) {
		t.Errorf("window = %+v", p.Window)
	}
}

func TestProfileRoundTrip(t *testing.T) {
	p, err := ParseProfile([]byte(goodProfile))
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"+Inf"`) {
		t.Errorf("+Inf not written as a string: %s", b)
	}
	q, err := ParseProfile(b)
	if err != nil {
		t.Fatalf("parse own output: %v\n%s", err, b)
	}
	if !reflect.DeepEqual(p, q) {
		t.Errorf("round trip:\n%+v\n%+v", p, q)
	}
}

func TestBadProfiles(t *testing.T) {
	for name, text := range map[string]string{
		"not json":          `{"version": 1, "features": `,
		"future version":    `{"version": 2, "features": {}}`,
		"no version":        `{"features": {}}`,
		"both kinds":        `{"version": 1, "features": {"x": {"bounds": ["+Inf"], "counts": [1], "categories": {"a": 1}}}}`,
		"neither kind":      `{"version": 1, "features": {"x": {}}}`,
		"no +Inf":           `{"version": 1, "features": {"x": {"bounds": [1, 2], "counts": [1, 1]}}}`,
		"unsorted bounds":   `{"version": 1, "features": {"x": {"bounds": [2, 1, "+Inf"], "counts": [1, 1, 1]}}}`,
		"counts too short":  `{"version": 1, "features": {"x": {"bounds": [1, "+Inf"], "counts": [1]}}}`,
		"negative count":    `{"version": 1, "features": {"x": {"bounds": [1, "+Inf"], "counts": [1, -1]}}}`,
		"negative category": `{"version": 1, "features": {"x": {"categories": {"a": -1}}}}`,
		"word bound":        `{"version": 1, "features": {"x": {"bounds": ["big", "+Inf"], "counts": [1, 1]}}}`,
	} {
		_, err := ParseProfile([]byte(text))
		if !errors.Is(err, ErrBadProfile) {
			t.Errorf("%s: err = %v, want ErrBadProfile", name, err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "bad reference: ") {
			t.Errorf("%s: message %q", name, err)
		}
	}
	if _, err := ParseProfile([]byte(strings.Repeat(" ", maxProfileBytes+1))); !errors.Is(err, ErrBadProfile) {
		t.Errorf("oversized profile: %v", err)
	}
}

func TestRegistryProfileWins(t *testing.T) {
	r := New(Options{Method: "psi", OffsetLabel: "7d offset", MinPerBucket: -1}).Compute(Input{
		Buckets: join(
			bucketSamples("churn", "3", "tenure", bounds5, even),
			bucketSamples("churn", "3", fleet.PredictionFeature, []float64{0.5, inf}, []float64{70, 30}),
		),
		// The offset window disagrees with the profile: the profile must win.
		BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, shifted),
		Categories: categorySamples("churn", "3", "plan", map[string]float64{"basic": 12, "premium": 8}),
		Profiles:   map[VersionKey]string{churn3: goodProfile},
	})[churn3]
	if r.Reference != SourceRegistry || r.ReferenceError != "" {
		t.Errorf("reference %q, error %q", r.Reference, r.ReferenceError)
	}
	for _, f := range append(r.Features, *r.Prediction) {
		if f.Score > 1e-12 || drifted(f) {
			t.Errorf("%s against its profile: %+v, want psi 0", f.Feature, f)
		}
	}
	if len(r.Features) != 2 {
		t.Errorf("features = %+v", r.Features)
	}
}

func TestBadProfileSaysSoAndFallsBack(t *testing.T) {
	r := New(Options{Method: "psi", OffsetLabel: "7d offset"}).Compute(Input{
		Buckets:    bucketSamples("churn", "3", "tenure", bounds5, shifted),
		BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, even),
		Profiles:   map[VersionKey]string{churn3: `{"version": 1, "features": {"tenure": `},
	})[churn3]
	if !strings.HasPrefix(r.ReferenceError, "bad reference: ") {
		t.Errorf("reference error %q", r.ReferenceError)
	}
	if r.Reference != "7d offset" || len(r.Features) != 1 || !drifted(r.Features[0]) {
		t.Errorf("fallback to the offset window: %+v", r)
	}
}

func TestProfileWithOtherBucketsFallsBack(t *testing.T) {
	prof := `{"version": 1, "features": {"tenure": {"bounds": [1, 2, "+Inf"], "counts": [1, 1, 1]}, "plan": {"bounds": ["+Inf"], "counts": [3]}}}`
	r := New(Options{OffsetLabel: "7d offset"}).Compute(Input{
		Buckets:    bucketSamples("churn", "3", "tenure", bounds5, even),
		BucketsRef: bucketSamples("churn", "3", "tenure", bounds5, even),
		Categories: categorySamples("churn", "3", "plan", map[string]float64{"basic": 12}),
		Profiles:   map[VersionKey]string{churn3: prof},
	})[churn3]
	if !strings.Contains(r.ReferenceError, `"tenure": the profile's buckets differ`) || !strings.Contains(r.ReferenceError, `"plan": buckets in the profile`) {
		t.Errorf("reference error %q", r.ReferenceError)
	}
	if r.Reference != "7d offset" || len(r.Features) != 1 || r.Features[0].Feature != "tenure" {
		t.Errorf("result %+v", r)
	}
	if len(r.NoData) != 1 || r.NoData[0] != "plan" {
		t.Errorf("no data %v", r.NoData)
	}
}

// TestExportedProfileIsAReference: the profile written from a window's
// histograms, stored as the tag text, is a reference the calculator uses,
// and data drawn like the window judges as undrifted.
func TestExportedProfileIsAReference(t *testing.T) {
	from, to := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	buckets := join(
		bucketSamples("churn", "3", "tenure", bounds5, even),
		bucketSamples("churn", "3", "idle", bounds5, make([]float64, 5)),
		bucketSamples("churn", "4", "tenure", bounds5, shifted), // another version: left out
		bucketSamples("churn", "3", fleet.PredictionFeature, []float64{0.5, inf}, []float64{70, 30}),
	)
	cats := categorySamples("churn", "3", "plan", map[string]float64{"basic": 12, "premium": 8})
	p, empty, err := ProfileFromTables(buckets, cats, "churn", "3", from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(empty) != 1 || empty[0] != "idle" || len(p.Features) != 3 {
		t.Fatalf("features %v, empty %v", p.Features, empty)
	}
	if p.Window.From != from || !p.CreatedAt.Equal(to) {
		t.Errorf("window %+v created %v", p.Window, p.CreatedAt)
	}
	text, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(text, &generic); err != nil || generic["version"] != 1.0 {
		t.Fatalf("tag text %s: %v", text, err)
	}
	r := New(Options{Method: "psi", MinPerBucket: -1}).Compute(Input{
		Buckets:    join(bucketSamples("churn", "3", "tenure", bounds5, scale(even, 3)), bucketSamples("churn", "3", fleet.PredictionFeature, []float64{0.5, inf}, []float64{7, 3})),
		Categories: categorySamples("churn", "3", "plan", map[string]float64{"basic": 120, "premium": 80}),
		Profiles:   map[VersionKey]string{churn3: string(text)},
	})[churn3]
	if r.Reference != SourceRegistry || len(r.Features) != 2 || r.Prediction == nil {
		t.Fatalf("result %+v", r)
	}
	for _, f := range append(r.Features, *r.Prediction) {
		if f.Score > 1e-12 {
			t.Errorf("%s: psi %g against the profile of the same shape", f.Feature, f.Score)
		}
	}
	if _, _, err := ProfileFromTables(buckets, cats, "churn", "9", from, to); !errors.Is(err, ErrNoHistograms) {
		t.Errorf("unknown version: %v", err)
	}
}
