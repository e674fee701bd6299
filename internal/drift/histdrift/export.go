package histdrift

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/mltop/mltop/internal/labelrows"
)

// ErrNoHistograms means the time range holds no observations of the version.
var ErrNoHistograms = errors.New("no feature histograms with observations")

// ProfileFromTables builds a reference profile for one version from counts
// over a time range: buckets as the feature_buckets query returns them
// (cumulative, by feature and le; BucketColumns) and categories as
// feature_categories does (CategoryColumns). Rows of other models or
// versions are ignored. Features without observations are left out and
// listed in empty.
func ProfileFromTables(buckets, categories *labelrows.Table, modelName, version string, from, to time.Time) (p *Profile, empty []string, err error) {
	mine := func(k seriesKey) bool { return k.model == modelName && k.version == version }
	p = &Profile{Version: ProfileVersion, Features: map[string]FeatureProfile{}}
	var side numSide
	var les leCache
	side.fill(buckets, &les)
	for i := range side.groups {
		g := &side.groups[i]
		if !mine(g.key) {
			continue
		}
		b, err := g.binned()
		if err != nil {
			return nil, nil, fmt.Errorf("feature %q: %w", g.key.feature, err)
		}
		if b.Total() == 0 {
			empty = append(empty, g.key.feature)
			continue
		}
		f := FeatureProfile{Bounds: make([]Bound, len(b.Bounds)), Counts: b.Counts}
		for j, x := range b.Bounds {
			f.Bounds[j] = Bound(x)
		}
		if r, ok := rangeOf(b); ok {
			if !math.IsInf(r.Min, -1) {
				lo := Bound(r.Min)
				f.Min = &lo
			}
			if !math.IsInf(r.Max, 1) {
				hi := Bound(r.Max)
				f.Max = &hi
			}
		}
		p.Features[g.key.feature] = f
	}
	var cats catSide
	cats.fill(categories)
	for k, c := range cats.groups {
		if !mine(k) {
			continue
		}
		total := 0.0
		for _, v := range c {
			total += v
		}
		if total == 0 {
			empty = append(empty, k.feature)
			continue
		}
		p.Features[k.feature] = FeatureProfile{Categories: c}
	}
	sort.Strings(empty)
	if len(p.Features) == 0 {
		return nil, empty, fmt.Errorf("%s version %s from %s to %s: %w", modelName, version,
			from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339), ErrNoHistograms)
	}
	created := to.UTC()
	p.CreatedAt = &created
	p.Window = &TimeRange{From: from.UTC(), To: to.UTC()}
	return p, empty, nil
}

// AddMissing records each feature's missing share over the profile's range
// from counts as the feature_missing query returns them (MissingColumns),
// for one version; rows of others are ignored. A version without
// predictions or without missing series in the range records nothing:
// its exporter does not count missing values.
func (p *Profile) AddMissing(missing *labelrows.Table, modelName, version string) {
	m := readMissing(missing)[VersionKey{Model: modelName, Version: version}]
	for name, f := range p.Features {
		if s, ok := m.share(name); ok {
			f.MissingShare = &s
			p.Features[name] = f
		}
	}
}
