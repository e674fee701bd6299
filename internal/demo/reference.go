package demo

import (
	"math"
	"time"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
)

// referenceRows is the size of the reference sample each training job
// profiles: a day of traffic, large enough that mltop's auto method picks
// the distances (Wasserstein, Jensen–Shannon) rather than p-value tests.
const referenceRows = 20000

// referenceTag is the mltop.reference profile a training job stores with a
// version: its features' and output's distributions at training time, on
// the buckets its exporter uses (ensure builds the same ones), so numeric
// features hold about a tenth in each decile bucket. Versions trained
// during the story (fresh) were trained on the population of trainedAt.
func referenceTag(spec *modelSpec, vs versionSpec, fresh bool, trainedAt time.Duration, created time.Time) (string, bool) {
	p := &histdrift.Profile{Version: histdrift.ProfileVersion, Features: map[string]histdrift.FeatureProfile{}}
	for i := range spec.features {
		f := &spec.features[i]
		if f.categorical() {
			probs := normalise(f.probs)
			if fresh {
				probs = normalise(f.current)
			}
			cats := make(map[string]float64, len(f.categories))
			for j, c := range f.categories {
				cats[c] = math.Round(probs[j] * referenceRows)
			}
			p.Features[f.name] = histdrift.FeatureProfile{Categories: cats}
			continue
		}
		shift := 0.0
		if fresh {
			shift = f.shiftAt(trainedAt)
		}
		d := f.base.shifted(shift)
		p.Features[f.name] = binnedProfile(d, deciles(d))
	}
	out := spec.outputOf(vs)
	if fresh {
		out = spec.drifted(out, trainedAt)
	}
	p.Features[fleet.PredictionFeature] = binnedProfile(out, spec.predBounds)
	to := created.Add(-10 * time.Minute).UTC()
	p.CreatedAt = &to
	p.Window = &histdrift.TimeRange{From: to.Add(-day), To: to}
	b, err := p.Marshal()
	if err != nil {
		return "", false
	}
	return string(b), true
}

// binnedProfile is d's expected counts over referenceRows in the buckets
// bounds (+Inf implied, as in an exporter's histogram).
func binnedProfile(d locScale, bounds []float64) histdrift.FeatureProfile {
	probs := d.bucketProbs(bounds)
	f := histdrift.FeatureProfile{Bounds: make([]histdrift.Bound, 0, len(probs)), Counts: make([]float64, len(probs))}
	for _, b := range bounds {
		f.Bounds = append(f.Bounds, histdrift.Bound(b))
	}
	f.Bounds = append(f.Bounds, histdrift.Bound(math.Inf(1)))
	for i, q := range probs {
		f.Counts[i] = math.Round(q * referenceRows)
	}
	return f
}
