// Package histdrift computes drift from feature histograms: it groups the
// bucket and category counts that one query per window returns for the
// whole fleet, picks each feature's reference (a profile stored with the
// version in the registry, else the same histograms an offset earlier),
// and scores every feature with internal/drift against the threshold it
// will be judged by; the verdict is internal/judge's. Pure: no I/O.
package histdrift

import (
	"errors"
	"maps"
	"sync"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

// Where a feature's reference came from, as Drift.Reference says it.
const (
	SourceRegistry = "registry"
	// DefaultOffsetLabel names the offset window when Options say nothing.
	DefaultOffsetLabel = "offset"
)

// VersionKey names a model version by its metrics labels.
type VersionKey struct{ Model, Version string }

// Options configure a Calculator.
type Options struct {
	// Method is a drift method name or alias, or drift.Auto (also for "").
	// A method that does not apply to a feature (ks on categories, z on
	// more than two buckets) falls back to Auto for that feature.
	Method string
	// Thresholds per method (any spelling drift.Canonical accepts); a
	// missing method uses drift.DefaultThreshold.
	Thresholds map[string]float64
	// OffsetLabel names the offset reference in Result.Reference, e.g.
	// "7d offset".
	OffsetLabel string
	// MinPerBucket is the fewest observations per bucket or category, on
	// average, that a distance (psi, jensenshannon, wasserstein, hellinger,
	// kl_div) needs on each side for a verdict: on a handful of
	// observations a distance measures sampling noise. Below it the
	// feature is listed in NoData. The tests (ks, chisquare, z) weigh the
	// sample size themselves and always judge. 0 means
	// DefaultMinPerBucket; negative, no minimum.
	MinPerBucket float64
}

// DefaultMinPerBucket keeps the distances' sampling noise well below their
// thresholds: PSI's noise is about (k−1)/n for k buckets and n
// observations, 0.01 at 100 a bucket; Wasserstein's shrinks only as 1/√n
// and needs about that many to stay under half its threshold.
const DefaultMinPerBucket = 100

// errTooFew marks a distance on too few observations to judge.
var errTooFew = errors.New("too few observations")

// tooFewError is errTooFew with the counts: the observations of the window
// that fell short (the smaller one when both did) and the least needed.
type tooFewError struct {
	observed, least float64
	window          string // "current" or "reference"
}

func (e *tooFewError) Error() string { return errTooFew.Error() }

func (e *tooFewError) Is(target error) bool { return target == errTooFew }

// Input is one refresh's histograms for the whole fleet.
type Input struct {
	// Buckets and BucketsRef are cumulative bucket counts by (model,
	// version, feature, le) over the current and the reference window
	// (BucketColumns); the prediction is feature fleet.PredictionFeature.
	// A table passed again is taken to hold the same counts: what it
	// yielded is reused.
	Buckets, BucketsRef *labelrows.Table
	// Categories and CategoriesRef are counts by (model, version, feature,
	// category) (CategoryColumns).
	Categories, CategoriesRef *labelrows.Table
	// Profiles are registry reference profiles (the TagKey tag's text) by
	// version. A version with a usable profile is compared with it; a
	// feature the profile lacks falls back to the offset window.
	Profiles map[VersionKey]string
	// Missing and MissingRef count predictions with a feature missing and
	// all predictions, by (model, version, feature, counter), over the
	// current and the reference window (MissingColumns): read by
	// DataQuality only.
	Missing, MissingRef *labelrows.Table
}

// Result is the computed drift of one version.
type Result struct {
	Features   []fleet.FeatureDrift // sorted by feature
	Prediction *fleet.FeatureDrift
	// NoData lists features with histograms but no verdict: an empty
	// current or reference window, too few observations for a distance
	// (Options.MinPerBucket), or buckets that do not line up.
	NoData []string
	// TooFew are the features of NoData that had data, but too few
	// observations for their distance: each with its method, the
	// observations of the window that fell short and the least needed.
	TooFew []fleet.FeatureDrift
	// Reference says what was compared with: SourceRegistry, the offset
	// label, or both joined by ", ".
	Reference string
	// ReferenceError says why the registry profile could not be used.
	ReferenceError string
}

// Calculator computes drift refresh after refresh, reusing its buffers and
// what has not changed (the reference window, parsed profiles). It is safe
// for concurrent use; calls run one at a time.
type Calculator struct {
	opts      Options
	method    string
	threshold map[string]float64

	mu       sync.Mutex
	les      leCache
	parts    []part
	scratch  numSide
	refNum   refCache
	refCat   catCache
	profiles profileCache
	last     lastCompute
	lastDQ   lastDataQuality
	dqSides  [2]numSide // DataQuality's current and reference buckets
	dqLes    leCache
}

// lastCompute is the previous call's input (by table identity) and output:
// a refresh whose histogram queries were not re-run gets the same answer
// without the work.
type lastCompute struct {
	buckets, categories *labelrows.Table
	profiles            map[VersionKey]string
	out                 map[VersionKey]Result
	valid               bool
}

func (l *lastCompute) same(in Input) bool {
	return l.valid && l.buckets == in.Buckets && l.categories == in.Categories && maps.Equal(l.profiles, in.Profiles)
}

func (l *lastCompute) keep(in Input, out map[VersionKey]Result) {
	l.buckets, l.categories = in.Buckets, in.Categories
	l.profiles = maps.Clone(in.Profiles)
	l.out, l.valid = out, true
}

// New returns a calculator.
func New(opts Options) *Calculator {
	c := &Calculator{opts: opts, method: drift.Canonical(opts.Method), threshold: map[string]float64{}}
	if c.method == "" {
		c.method = drift.Auto
	}
	if c.opts.OffsetLabel == "" {
		c.opts.OffsetLabel = DefaultOffsetLabel
	}
	if c.opts.MinPerBucket == 0 {
		c.opts.MinPerBucket = DefaultMinPerBucket
	}
	for m, t := range opts.Thresholds {
		if t > 0 {
			c.threshold[drift.Canonical(m)] = t
		}
	}
	return c
}

// Fresh is a calculator with c's options and nothing of its work: for a
// poll of another time (a look back), whose tables share nothing with
// the ones c reuses its work for.
func (c *Calculator) Fresh() *Calculator { return New(c.opts) }

// Compute scores every feature that has current histograms. The results
// share nothing with the calculator or with earlier results.
func (c *Calculator) Compute(in Input) map[VersionKey]Result {
	if in.Buckets.Len() == 0 && in.Categories.Len() == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refNum.numericFor(in.BucketsRef, &c.scratch, &c.les)
	refCat := c.refCat.groupsFor(in.CategoriesRef)
	if c.last.same(in) && c.refNum.hit && c.refCat.hit {
		return copyResults(c.last.out)
	}
	var curCat catSide
	curCat.fill(in.Categories)
	profiles := c.profiles.resolve(in.Profiles)

	parts := c.numericParts(in.Buckets, profiles)
	accs := parts[0].accs
	for _, p := range parts[1:] {
		maps.Copy(accs, p.accs) // disjoint: each part has its own models
	}
	out := &parts[0].out
	for k, cur := range curCat.groups {
		a := accFor(accs, k.versionKey(), profiles)
		ref, source, ok := c.categoricalReference(a, k, refCat)
		if !ok {
			a.skip(k.feature)
			continue
		}
		res, err := c.scoreCategorical(ref, cur)
		a.record(k.feature, source, res, err, out)
	}
	results := make(map[VersionKey]Result, len(accs))
	for vk, a := range accs {
		results[vk] = a.finish(c.opts.OffsetLabel)
	}
	c.last.keep(in, results)
	return copyResults(results)
}
