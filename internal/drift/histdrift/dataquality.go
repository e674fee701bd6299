package histdrift

import (
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
)

// DataQuality measures every version's input data against its reference:
// the missing share of each feature (in.Missing, with p₀ from the
// registry profile or in.MissingRef), the share of observations out of
// the reference's range, the categories it never saw, features it has
// that are silent now, and the feature set's changes. The verdicts are
// the judge's. Versions are those with current histograms or counted
// predictions and something measured. Pure; safe for concurrent use with
// Compute.
func (c *Calculator) DataQuality(in Input) map[VersionKey]fleet.DataQuality {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.lastDQ.same(in) {
		c.lastDQ = lastDataQuality{in: in, out: c.dataQuality(in), valid: true}
	}
	return cloneDataQuality(c.lastDQ.out)
}

// lastDataQuality is DataQuality's previous input (tables by identity)
// and output: the histogram roles are re-read once a minute, refreshes
// between reuse the answer.
type lastDataQuality struct {
	in    Input
	out   map[VersionKey]fleet.DataQuality
	valid bool
}

func (l *lastDataQuality) same(in Input) bool {
	p := l.in
	return l.valid && p.Buckets == in.Buckets && p.BucketsRef == in.BucketsRef && p.Categories == in.Categories &&
		p.CategoriesRef == in.CategoriesRef && p.Missing == in.Missing && p.MissingRef == in.MissingRef && maps.Equal(p.Profiles, in.Profiles)
}

// cloneDataQuality deep-copies results: the judge writes its verdicts
// into them.
func cloneDataQuality(in map[VersionKey]fleet.DataQuality) map[VersionKey]fleet.DataQuality {
	if in == nil {
		return nil
	}
	out := make(map[VersionKey]fleet.DataQuality, len(in))
	cp := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		v := *p
		return &v
	}
	for vk, d := range in {
		d.Predictions = cp(d.Predictions)
		d.Schema = slices.Clone(d.Schema)
		fs := make([]fleet.FeatureQuality, len(d.Features))
		for i, f := range d.Features {
			f.MissingShare, f.ReferenceMissingShare, f.OutOfRangeShare = cp(f.MissingShare), cp(f.ReferenceMissingShare), cp(f.OutOfRangeShare)
			f.UnseenShare, f.MissingLimit = cp(f.UnseenShare), cp(f.MissingLimit)
			f.Unseen, f.Problems = slices.Clone(f.Unseen), slices.Clone(f.Problems)
			fs[i] = f
		}
		if d.Features != nil {
			d.Features = fs
		}
		out[vk] = d
	}
	return out
}

// dataQuality measures in; callers hold c.mu.
func (c *Calculator) dataQuality(in Input) map[VersionKey]fleet.DataQuality {
	cur := readObserved(in.Buckets, in.Categories, &c.dqSides[0], &c.dqLes)
	ref := readObserved(in.BucketsRef, in.CategoriesRef, &c.dqSides[1], &c.dqLes)
	miss, missRef := readMissing(in.Missing), readMissing(in.MissingRef)
	profiles := c.profiles.resolve(in.Profiles)
	versions := map[VersionKey]bool{}
	for vk := range cur {
		versions[vk] = true
	}
	for vk, m := range miss {
		if m.hasPred {
			versions[vk] = true
		}
	}
	if len(versions) == 0 {
		return nil
	}
	out := make(map[VersionKey]fleet.DataQuality, len(versions))
	for vk := range versions {
		var prof *reference
		if p, ok := profiles[vk]; ok && p.err == nil {
			prof = p.ref
		}
		v := dqVersion{cur: cur[vk], ref: ref[vk], prof: prof, miss: miss[vk], missRef: missRef[vk],
			numRead: in.Buckets.Len() > 0, catRead: in.Categories.Len() > 0}
		// A version with nothing measured (no feature histograms nor
		// missing counts, only its predictions) has no data quality.
		if dq := v.measure(c.opts.OffsetLabel); len(dq.Features) > 0 || len(dq.Schema) > 0 {
			out[vk] = dq
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// dqVersion is one version's inputs to DataQuality.
type dqVersion struct {
	cur, ref      *observed
	prof          *reference
	miss, missRef *missingCounts
	usedProfile   bool
	usedOffset    bool
	// numRead and catRead: the current window's bucket and category
	// tables answered. Without one, a feature of that kind cannot be told
	// absent (the first read timed out, a one-shot read without it).
	numRead, catRead bool
}

func (v *dqVersion) measure(offsetLabel string) fleet.DataQuality {
	var dq fleet.DataQuality
	if m := v.miss; m != nil && m.hasPred {
		n := m.predictions
		dq.Predictions = &n
	}
	names := v.featureNames()
	hasRef := v.prof != nil || v.ref.observedAny()
	for _, name := range names {
		f, change := v.feature(name, hasRef)
		if change != "" {
			dq.Schema = append(dq.Schema, fleet.SchemaChange{Feature: name, Change: change})
		}
		if f.MissingShare != nil || f.OutOfRangeShare != nil || f.UnseenShare != nil || f.Absent || f.Unknown != "" || f.TooFew != "" {
			dq.Features = append(dq.Features, f)
		}
	}
	var refs []string
	if v.usedProfile {
		refs = append(refs, SourceRegistry)
	}
	if v.usedOffset {
		refs = append(refs, offsetLabel)
	}
	dq.Reference = strings.Join(refs, ", ")
	return dq
}

// featureNames are every feature the version's windows, profile or
// missing counts name, sorted.
func (v *dqVersion) featureNames() []string {
	set := map[string]bool{}
	for _, o := range []*observed{v.cur, v.ref} {
		if o == nil {
			continue
		}
		for n := range o.numeric {
			set[n] = true
		}
		for n := range o.categorical {
			set[n] = true
		}
	}
	if p := v.prof; p != nil {
		for n := range p.numeric {
			set[n] = true
		}
		for n := range p.categorical {
			set[n] = true
		}
	}
	for _, m := range []*missingCounts{v.miss, v.missRef} {
		if m != nil {
			for n := range m.missing {
				set[n] = true
			}
		}
	}
	delete(set, fleet.PredictionFeature)
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// feature measures one feature, and says how the feature set changed for
// it ("" when it did not, or without a reference).
func (v *dqVersion) feature(name string, hasRef bool) (fleet.FeatureQuality, string) {
	f := fleet.FeatureQuality{Feature: name}
	if s, ok := v.miss.share(name); ok {
		f.MissingShare = &s
	}
	f.ReferenceMissingShare = v.referenceMissing(name)
	curNum, isNum := v.cur.numericOf(name)
	curCat, isCat := v.cur.categoricalOf(name)
	refNum, refIsNum, refNumSrc := v.numericRef(name)
	refCat, refIsCat, refCatSrc := v.categoricalRef(name)
	inRef := refIsNum || refIsCat
	switch {
	case isNum && refIsNum:
		v.mark(refNumSrc)
		if n := curNum.Total(); n < fleet.MinObservations {
			f.TooFew = tooFewText(n, "out of range")
		} else if s, ok := outOfRange(refNum, curNum, v.profileRange(name)); ok {
			f.OutOfRangeShare = &s
		}
	case isCat && refIsCat:
		v.mark(refCatSrc)
		if n := catTotal(curCat); n < fleet.MinObservations {
			f.TooFew = tooFewText(n, "unseen categories")
		} else {
			f.Unseen, f.UnseenShare = unseen(refCat, curCat)
		}
	}
	switch {
	case !hasRef:
		return f, ""
	case !inRef:
		if isNum || isCat {
			return f, fleet.SchemaAdded
		}
		return f, ""
	}
	if refIsNum {
		v.mark(refNumSrc)
	} else {
		v.mark(refCatSrc)
	}
	// Not observed in its reference kind while that kind's window was not
	// read: whether it has values now is unknown, not absent.
	switch {
	case refIsNum && !isNum && !v.numRead:
		f.Unknown = "the window's histograms were not read"
		return f, ""
	case refIsCat && !isCat && !v.catRead:
		f.Unknown = "the window's category counts were not read"
		return f, ""
	}
	switch {
	case !isNum && !isCat:
		// Counted values say it is not silent, whatever the histograms say.
		if s, ok := v.miss.counted(name); ok && s < 1 {
			f.Unknown = "values counted (" + strconv.FormatFloat(100*(1-s), 'g', 3, 64) + " % of predictions) but none in the histograms"
			return f, ""
		}
		f.Absent = true
		return f, fleet.SchemaRemoved
	case isNum && !refIsNum || isCat && !refIsCat:
		return f, fleet.SchemaType
	}
	return f, ""
}

// tooFewText says why a share is not measured on n observations.
func tooFewText(n float64, what string) string {
	return strconv.FormatFloat(n, 'f', 0, 64) + " observations, fewer than " + strconv.Itoa(fleet.MinObservations) + ": " + what + " not measured"
}

func (v *dqVersion) mark(source string) {
	if source == SourceRegistry {
		v.usedProfile = true
	} else {
		v.usedOffset = true
	}
}

// referenceMissing is p₀: the profile's missing share, else the offset
// window's; nil when neither says.
func (v *dqVersion) referenceMissing(name string) *float64 {
	if p := v.prof; p != nil {
		if s, ok := p.missing[name]; ok {
			return &s
		}
	}
	if s, ok := v.missRef.share(name); ok {
		return &s
	}
	return nil
}

// observedAny reports whether any feature has an observation: a window
// whose series only stood still is no reference.
func (o *observed) observedAny() bool {
	if o == nil {
		return false
	}
	for _, b := range o.numeric {
		if b.Total() > 0 {
			return true
		}
	}
	for _, c := range o.categorical {
		if catTotal(c) > 0 {
			return true
		}
	}
	return false
}

func (o *observed) numericOf(name string) (drift.Binned, bool) {
	if o == nil {
		return drift.Binned{}, false
	}
	b, ok := o.numeric[name]
	return b, ok && b.Total() > 0
}

func (o *observed) categoricalOf(name string) (drift.Categorical, bool) {
	if o == nil {
		return nil, false
	}
	c, ok := o.categorical[name]
	return c, ok && catTotal(c) > 0
}

// numericRef is the feature's numeric reference: the profile's, else the
// offset window's (with observations).
func (v *dqVersion) numericRef(name string) (drift.Binned, bool, string) {
	if p := v.prof; p != nil {
		if b, ok := p.numeric[name]; ok {
			return b, true, SourceRegistry
		}
		if _, ok := p.categorical[name]; ok {
			return drift.Binned{}, false, ""
		}
	}
	b, ok := v.ref.numericOf(name)
	return b, ok, offsetSource
}

func (v *dqVersion) categoricalRef(name string) (drift.Categorical, bool, string) {
	if p := v.prof; p != nil {
		if c, ok := p.categorical[name]; ok {
			return c, true, SourceRegistry
		}
		if _, ok := p.numeric[name]; ok {
			return nil, false, ""
		}
	}
	c, ok := v.ref.categoricalOf(name)
	return c, ok, offsetSource
}

// profileRange is the profile's recorded range of a feature, when it has
// one.
func (v *dqVersion) profileRange(name string) *valueRange {
	if v.prof == nil {
		return nil
	}
	if r, ok := v.prof.ranges[name]; ok {
		return &r
	}
	return nil
}
