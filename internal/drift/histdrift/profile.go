package histdrift

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/drift"
)

// TagKey is the model-version tag holding a version's reference profile.
const TagKey = "mltop.reference"

// ProfileVersion is the version of the profile format this package writes
// and reads.
const ProfileVersion = 1

// ErrBadProfile wraps every reason a profile cannot be used.
var ErrBadProfile = errors.New("bad reference")

// Profile is a version's reference distributions, as stored in the
// registry: per feature either histogram buckets or category counts.
//
//	{"version": 1,
//	 "features": {
//	   "tenure": {"bounds": [3, 6, 12, 24, "+Inf"], "counts": [980, 1010, 1002, 995, 1013],
//	              "min": 3, "missing_share": 0.002},
//	   "plan": {"categories": {"basic": 3800, "standard": 3300}},
//	   "__prediction__": {"bounds": [0.1, 0.5, "+Inf"], "counts": [4000, 3500, 2500]}},
//	 "created_at": "2026-11-20T03:00:00Z",
//	 "window": {"from": "2026-11-19T03:00:00Z", "to": "2026-11-20T03:00:00Z"}}
type Profile struct {
	Version   int                       `json:"version"`
	Features  map[string]FeatureProfile `json:"features"`
	CreatedAt *time.Time                `json:"created_at,omitempty"`
	Window    *TimeRange                `json:"window,omitempty"`
}

// TimeRange is the stretch of data a profile was taken from.
type TimeRange struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// FeatureProfile is one feature's reference: Bounds and Counts for a numeric
// feature (the upper bounds of the exporter's histogram buckets, the last
// "+Inf", and the observations in each bucket, not cumulative), or
// Categories for a categorical one.
//
// Min and Max, for a numeric feature, are the range (Min, Max] its
// observations lay in at the buckets' resolution (the lower bound of the
// first non-empty bucket, the upper bound of the last), each left out when
// unbounded. MissingShare is the share of the range's predictions whose
// value of the feature was missing. All three are optional: profiles
// written before them still read.
type FeatureProfile struct {
	Bounds       []Bound            `json:"bounds,omitempty"`
	Counts       []float64          `json:"counts,omitempty"`
	Categories   map[string]float64 `json:"categories,omitempty"`
	Min          *Bound             `json:"min,omitempty"`
	Max          *Bound             `json:"max,omitempty"`
	MissingShare *float64           `json:"missing_share,omitempty"`
}

// Bound is a bucket's upper bound. JSON has no infinity, so +Inf is written
// as the string "+Inf", as Prometheus writes `le`; numbers may also be
// written as strings.
type Bound float64

// MarshalJSON writes +Inf as "+Inf" and finite bounds as numbers.
func (b Bound) MarshalJSON() ([]byte, error) {
	f := float64(b)
	switch {
	case math.IsInf(f, 1):
		return []byte(`"+Inf"`), nil
	case math.IsNaN(f) || math.IsInf(f, -1):
		return nil, fmt.Errorf("bound %g: %w", f, ErrBadProfile)
	}
	return []byte(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

// UnmarshalJSON reads a number or a string such as "+Inf" or "0.5".
func (b *Bound) UnmarshalJSON(data []byte) error {
	s := strings.TrimSpace(string(data))
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return fmt.Errorf("bound %s is not a number", s)
	}
	*b = Bound(f)
	return nil
}

// maxProfileBytes bounds what is parsed: registry tags are untrusted input.
const maxProfileBytes = 4 << 20

// ParseProfile reads and checks a profile. Every problem is ErrBadProfile.
func ParseProfile(data []byte) (*Profile, error) {
	if len(data) > maxProfileBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrBadProfile, len(data), maxProfileBytes)
	}
	var p Profile
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadProfile, err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Validate checks the version and every feature; errors name the feature.
func (p *Profile) Validate() error {
	if p.Version != ProfileVersion {
		return fmt.Errorf("%w: format version %d, this mltop reads %d", ErrBadProfile, p.Version, ProfileVersion)
	}
	names := make([]string, 0, len(p.Features))
	for name := range p.Features {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := p.Features[name].validate(); err != nil {
			return fmt.Errorf("%w: feature %q: %v", ErrBadProfile, name, err)
		}
	}
	return nil
}

func (f FeatureProfile) validate() error {
	numeric, categorical := len(f.Bounds) > 0 || len(f.Counts) > 0, f.Categories != nil
	if s := f.MissingShare; s != nil && !(*s >= 0 && *s <= 1) {
		return fmt.Errorf("missing share %g is not between 0 and 1", *s)
	}
	if f.Min != nil && f.Max != nil && !(*f.Min < *f.Max) {
		return fmt.Errorf("min %g is not below max %g", float64(*f.Min), float64(*f.Max))
	}
	switch {
	case numeric && categorical:
		return errors.New("has both bounds and categories")
	case categorical:
		for c, n := range f.Categories {
			if !(n >= 0) || math.IsInf(n, 1) {
				return fmt.Errorf("category %q count %g is not a non-negative number", c, n)
			}
		}
		return nil
	case numeric:
		return f.Binned().Validate()
	}
	return errors.New("has neither bounds nor categories")
}

// Numeric reports whether the feature is bucketed.
func (f FeatureProfile) Numeric() bool { return len(f.Bounds) > 0 }

// Binned returns a numeric feature's reference as drift wants it.
func (f FeatureProfile) Binned() drift.Binned {
	bounds := make([]float64, len(f.Bounds))
	for i, b := range f.Bounds {
		bounds[i] = float64(b)
	}
	return drift.Binned{Bounds: bounds, Counts: append([]float64(nil), f.Counts...)}
}

// Marshal writes the profile as compact JSON, the form stored in the tag.
func (p *Profile) Marshal() ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(p)
}

// reference is a parsed profile in the form the calculator compares with.
type reference struct {
	numeric     map[string]drift.Binned
	categorical map[string]drift.Categorical
	missing     map[string]float64    // recorded missing shares
	ranges      map[string]valueRange // recorded ranges
}

func newReference(p *Profile) *reference {
	r := &reference{numeric: map[string]drift.Binned{}, categorical: map[string]drift.Categorical{},
		missing: map[string]float64{}, ranges: map[string]valueRange{}}
	for name, f := range p.Features {
		if s := f.MissingShare; s != nil {
			r.missing[name] = *s
		}
		if f.Min != nil || f.Max != nil {
			rng := valueRange{Min: math.Inf(-1), Max: math.Inf(1)}
			if f.Min != nil {
				rng.Min = float64(*f.Min)
			}
			if f.Max != nil {
				rng.Max = float64(*f.Max)
			}
			r.ranges[name] = rng
		}
		if f.Numeric() {
			r.numeric[name] = f.Binned()
			continue
		}
		c := make(drift.Categorical, len(f.Categories))
		for k, v := range f.Categories {
			c[k] = v
		}
		r.categorical[name] = c
	}
	return r
}

// profileCache parses each distinct tag text once.
type profileCache struct {
	parsed map[string]parsedProfile
}

type parsedProfile struct {
	ref *reference
	err error
}

// resolve parses the profiles, reusing earlier parses of the same text, and
// forgets texts no longer in use.
func (p *profileCache) resolve(tags map[VersionKey]string) map[VersionKey]parsedProfile {
	if len(tags) == 0 {
		p.parsed = nil
		return nil
	}
	next := make(map[string]parsedProfile, len(tags))
	out := make(map[VersionKey]parsedProfile, len(tags))
	for vk, text := range tags {
		pp, ok := next[text]
		if !ok {
			pp, ok = p.parsed[text]
		}
		if !ok {
			prof, err := ParseProfile([]byte(text))
			if err != nil {
				pp.err = err
			} else {
				pp.ref = newReference(prof)
			}
		}
		next[text] = pp
		out[vk] = pp
	}
	p.parsed = next
	return out
}
