package histdrift

import (
	"errors"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
)

// versionResult accumulates one version's features.
type versionResult struct {
	profile    *reference
	profileErr error
	features   []fleet.FeatureDrift
	prediction *fleet.FeatureDrift
	noData     []string
	tooFew     []fleet.FeatureDrift
	problems   []string
	registry   bool
	offset     bool
}

func (a *versionResult) skip(feature string) { a.noData = append(a.noData, feature) }

func (a *versionResult) problem(p string) { a.problems = append(a.problems, p) }

func (a *versionResult) record(feature, source string, r drift.Result, err error, out *outAlloc) {
	if err != nil {
		// Empty windows, mostly; any other failure is no verdict as well.
		a.skip(feature)
		var few *tooFewError
		if errors.As(err, &few) {
			a.tooFew = append(a.tooFew, fleet.FeatureDrift{
				Feature: feature, Score: math.NaN(), Method: r.Method, Threshold: out.num(r.Threshold), Source: fleet.DriftComputed,
				Observations: out.num(few.observed), MinObservations: out.num(few.least), ObservationsWindow: few.window,
			})
		}
		return
	}
	if source == SourceRegistry {
		a.registry = true
	} else {
		a.offset = true
	}
	// The score, its p-value and the threshold it was computed against;
	// whether that is drift is the judge's to say, in one place for
	// exported and computed scores alike.
	fd := fleet.FeatureDrift{
		Feature: feature, Score: r.Score, Method: r.Method,
		Threshold: out.num(r.Threshold), Source: fleet.DriftComputed,
	}
	if r.PValue != nil {
		fd.PValue = out.num(*r.PValue)
	}
	if feature == fleet.PredictionFeature {
		p := fd
		a.prediction = &p
		return
	}
	if a.features == nil {
		a.features = make([]fleet.FeatureDrift, 0, 16) // typical feature counts fit without regrowing
	}
	a.features = append(a.features, fd)
}

func (a *versionResult) finish(offsetLabel string) Result {
	r := Result{Features: a.features, Prediction: a.prediction}
	sort.Slice(r.Features, func(i, j int) bool { return r.Features[i].Feature < r.Features[j].Feature })
	if len(a.noData) > 0 {
		r.NoData = a.noData
		sort.Strings(r.NoData)
	}
	if len(a.tooFew) > 0 {
		r.TooFew = a.tooFew
		sort.Slice(r.TooFew, func(i, j int) bool { return r.TooFew[i].Feature < r.TooFew[j].Feature })
	}
	var refs []string
	if a.registry {
		refs = append(refs, SourceRegistry)
	}
	if a.offset {
		refs = append(refs, offsetLabel)
	}
	r.Reference = strings.Join(refs, ", ")
	switch {
	case a.profileErr != nil:
		r.ReferenceError = a.profileErr.Error()
	case len(a.problems) > 0:
		sort.Strings(a.problems)
		r.ReferenceError = ErrBadProfile.Error() + ": " + strings.Join(a.problems, "; ")
	}
	return r
}

// outAlloc hands out pointers from shared chunks: one allocation per few
// hundred features rather than two or three per feature.
type outAlloc struct{ nums []float64 }

func (o *outAlloc) num(v float64) *float64 {
	if len(o.nums) == cap(o.nums) {
		o.nums = make([]float64, 0, 512)
	}
	o.nums = append(o.nums, v)
	return &o.nums[len(o.nums)-1]
}

// copyResults deep-copies results, so that no two calls share anything.
func copyResults(in map[VersionKey]Result) map[VersionKey]Result {
	var out outAlloc
	res := make(map[VersionKey]Result, len(in))
	feature := func(f fleet.FeatureDrift) fleet.FeatureDrift {
		if f.Threshold != nil {
			f.Threshold = out.num(*f.Threshold)
		}
		if f.PValue != nil {
			f.PValue = out.num(*f.PValue)
		}
		return f
	}
	n := 0
	for _, r := range in {
		n += len(r.Features)
	}
	all := make([]fleet.FeatureDrift, 0, n)
	for vk, r := range in {
		start := len(all)
		for _, f := range r.Features {
			all = append(all, feature(f))
		}
		r.Features = all[start:len(all):len(all)]
		if r.Prediction != nil {
			p := feature(*r.Prediction)
			r.Prediction = &p
		}
		r.NoData = slices.Clone(r.NoData)
		if r.TooFew != nil {
			few := make([]fleet.FeatureDrift, len(r.TooFew))
			for i, f := range r.TooFew {
				few[i] = copyTooFew(f, &out)
			}
			r.TooFew = few
		}
		res[vk] = r
	}
	return res
}

// copyTooFew deep-copies a feature without a verdict for too few
// observations.
func copyTooFew(f fleet.FeatureDrift, out *outAlloc) fleet.FeatureDrift {
	for _, p := range []**float64{&f.Threshold, &f.Observations, &f.MinObservations} {
		if *p != nil {
			*p = out.num(**p)
		}
	}
	return f
}
