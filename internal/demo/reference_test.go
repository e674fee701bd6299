package demo

import (
	"math"
	"net/url"
	"strconv"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
)

// versionProfile reads a version's mltop.reference tag from the registry.
func versionProfile(t *testing.T, f *Fleet, name string, version int) *histdrift.Profile {
	t.Helper()
	var got struct {
		ModelVersion wireModelVersion `json:"model_version"`
	}
	call(t, "GET", mlflowURL(f, "model-versions/get", url.Values{"name": {name}, "version": {strconv.Itoa(version)}}), nil, &got)
	for _, tg := range got.ModelVersion.Tags {
		if tg.Key == histdrift.TagKey {
			p, err := histdrift.ParseProfile([]byte(tg.Value))
			if err != nil {
				t.Fatalf("%s v%d: %v", name, version, err)
			}
			return p
		}
	}
	t.Fatalf("%s v%d has no %s tag", name, version, histdrift.TagKey)
	return nil
}

// exportedBounds are the finite bucket bounds of one exported histogram.
func exportedBounds(t *testing.T, m *dto.Metric) []float64 {
	t.Helper()
	var out []float64
	for _, b := range m.GetHistogram().GetBucket() {
		if !math.IsInf(b.GetUpperBound(), 1) {
			out = append(out, b.GetUpperBound())
		}
	}
	return out
}

// checkProfile holds a profile against what the version exports: the same
// buckets, every numeric feature about a tenth in each decile bucket, the
// categorical shares of training time.
func checkProfile(t *testing.T, all map[string]*dto.MetricFamily, spec *modelSpec, version int, p *histdrift.Profile) {
	t.Helper()
	ver := strconv.Itoa(version)
	for i := range spec.features {
		fs := &spec.features[i]
		fp, ok := p.Features[fs.name]
		if !ok {
			t.Errorf("%s v%d: no %s in the profile", spec.name, version, fs.name)
			continue
		}
		if fs.categorical() {
			total := 0.0
			for _, c := range fp.Categories {
				total += c
			}
			for j, c := range fs.categories {
				if share := fp.Categories[c] / total; math.Abs(share-normalise(fs.probs)[j]) > 0.02 {
					t.Errorf("%s v%d %s=%s: share %.3f, trained on %.3f", spec.name, version, fs.name, c, share, fs.probs[j])
				}
			}
			continue
		}
		ms := series(all, "model_feature_value", lbl("model", spec.name, "version", ver, "feature", fs.name))
		if len(ms) != 1 {
			t.Fatalf("%s v%d %s: %d exported histograms", spec.name, version, fs.name, len(ms))
		}
		checkBounds(t, spec.name+" "+fs.name, fp, exportedBounds(t, ms[0]))
		total := 0.0
		for _, c := range fp.Counts {
			total += c
		}
		for j, c := range fp.Counts {
			if share := c / total; math.Abs(share-0.1) > 0.01 {
				t.Errorf("%s v%d %s bucket %d: share %.3f, want about 0.1", spec.name, version, fs.name, j, share)
			}
		}
	}
	out := series(all, "model_prediction_value", lbl("model", spec.name, "version", ver))
	if len(out) != 1 {
		t.Fatalf("%s v%d: %d output histograms", spec.name, version, len(out))
	}
	checkBounds(t, spec.name+" prediction", p.Features[fleet.PredictionFeature], exportedBounds(t, out[0]))
}

func checkBounds(t *testing.T, what string, fp histdrift.FeatureProfile, exported []float64) {
	t.Helper()
	if len(fp.Bounds) != len(exported)+1 || !math.IsInf(float64(fp.Bounds[len(fp.Bounds)-1]), 1) {
		t.Fatalf("%s: profile bounds %v, exported %v", what, fp.Bounds, exported)
	}
	for i, b := range exported {
		if float64(fp.Bounds[i]) != b {
			t.Errorf("%s: bound %d is %v in the profile, %v exported", what, i, fp.Bounds[i], b)
		}
	}
}

// TestVersionsCarryReferenceProfiles: every serving version's registry
// entry holds the profile of its training data on its exporter's buckets,
// and so does a version trained during the story, on that day's data.
func TestVersionsCarryReferenceProfiles(t *testing.T) {
	f := startManual(t, 12)
	all := scrapeAll(t, f)
	for _, spec := range stories() {
		if len(spec.features) == 0 {
			continue
		}
		checkProfile(t, all, spec, spec.stable, versionProfile(t, f, spec.name, spec.stable))
	}

	if code, _ := postRetrain(t, f, `{"model": "churn-predictor", "reason": "tenure drift"}`, ""); code != 202 {
		t.Fatalf("retrain: %d", code)
	}
	f.Advance(storyToReal(TrainingTime) + maxStep)
	all = scrapeAll(t, f)
	var spec *modelSpec
	for _, s := range stories() {
		if s.name == "churn-predictor" {
			spec = s
		}
	}
	p4 := versionProfile(t, f, "churn-predictor", 4)
	checkProfile(t, all, spec, 4, p4)
	// Trained on today's population: tenure's buckets moved with it.
	if v3 := versionProfile(t, f, "churn-predictor", 3); float64(p4.Features["tenure"].Bounds[4]) >= float64(v3.Features["tenure"].Bounds[4]) {
		t.Errorf("v4 tenure median bucket %v, v3 %v: want lower, tenure has fallen", p4.Features["tenure"].Bounds[4], v3.Features["tenure"].Bounds[4])
	}
}
