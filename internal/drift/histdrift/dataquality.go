package histdrift

import (
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

// labelCounter tells the feature_missing roles' two counts apart.
const labelCounter = "counter"

// MissingColumns are the labels the feature_missing roles' answers are
// read by, as table columns.
var MissingColumns = []string{labelModel, labelVersion, labelFeature, labelCounter}

// missingCounts are one version's counts from a feature_missing answer.
type missingCounts struct {
	predictions float64
	hasPred     bool
	missing     map[string]float64 // by feature; nil when the version has no missing series
}

// share is feature's missing share; ok is false when unknown: no
// predictions, or no missing series at all for the version (its exporter
// does not count missing values). A feature without a series while others
// have one was never missing: clients create a counter's series at its
// first increment.
func (m *missingCounts) share(feature string) (float64, bool) {
	if m == nil || !m.hasPred || m.predictions <= 0 || m.missing == nil {
		return 0, false
	}
	return min(m.missing[feature]/m.predictions, 1), true
}

// counted is feature's missing share when the feature has a missing
// series of its own: a count of its values, not the inference that a
// feature without one was never missing (an exporter that no longer sees
// a feature at all writes no series for it).
func (m *missingCounts) counted(feature string) (float64, bool) {
	if _, ok := m.share(feature); !ok {
		return 0, false
	}
	if _, ok := m.missing[feature]; !ok {
		return 0, false
	}
	return m.share(feature)
}

// readMissing groups a feature_missing answer by version; rows without a
// model or counter, and counts that are not numbers, are skipped.
func readMissing(t *labelrows.Table) map[VersionKey]*missingCounts {
	out := map[VersionKey]*missingCounts{}
	if t.Len() == 0 {
		return out
	}
	cm, cv, cf, cc := t.Column(labelModel), t.Column(labelVersion), t.Column(labelFeature), t.Column(labelCounter)
	if cm < 0 || cc < 0 {
		return out
	}
	dict := t.Dict()
	for r := range t.Len() {
		row, val := t.Row(r), t.Value(r)
		if row[cm] == labelrows.Absent || !(val >= 0) || math.IsInf(val, 1) {
			continue
		}
		vk := VersionKey{Model: dict[row[cm]]}
		if cv >= 0 {
			vk.Version = dict[row[cv]]
		}
		m := out[vk]
		if m == nil {
			m = &missingCounts{}
			out[vk] = m
		}
		switch dict[row[cc]] {
		case fleet.CounterPredictions:
			m.predictions += val
			m.hasPred = true
		case fleet.CounterMissing:
			if cf < 0 || row[cf] == labelrows.Absent {
				continue
			}
			if m.missing == nil {
				m.missing = map[string]float64{}
			}
			m.missing[dict[row[cf]]] += val
		}
	}
	return out
}

// observed is one window's histograms of one version, by feature.
type observed struct {
	numeric     map[string]drift.Binned
	categorical map[string]drift.Categorical
}

// readObserved groups bucket and category tables by version, leaving out
// the prediction and buckets that do not read. The buckets borrow side's
// slices: they are valid until side is filled again.
func readObserved(buckets, categories *labelrows.Table, side *numSide, les *leCache) map[VersionKey]*observed {
	out := map[VersionKey]*observed{}
	get := func(vk VersionKey) *observed {
		o := out[vk]
		if o == nil {
			o = &observed{numeric: map[string]drift.Binned{}, categorical: map[string]drift.Categorical{}}
			out[vk] = o
		}
		return o
	}
	side.fill(buckets, les)
	for i := range side.groups {
		g := &side.groups[i]
		if g.key.feature == fleet.PredictionFeature {
			continue
		}
		b, err := g.binnedInPlace()
		if err != nil {
			continue
		}
		get(g.key.versionKey()).numeric[g.key.feature] = b
	}
	var cats catSide
	cats.fill(categories)
	for k, c := range cats.groups {
		if k.feature == fleet.PredictionFeature {
			continue
		}
		get(k.versionKey()).categorical[k.feature] = c
	}
	return out
}

func catTotal(c drift.Categorical) float64 {
	t := 0.0
	for _, v := range c {
		t += v
	}
	return t
}

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

// valueRange is the interval (Min, Max] a reference's observations lay
// in, at its buckets' resolution; ±Inf where unbounded.
type valueRange struct{ Min, Max float64 }

// rangeOf is the range of b's non-empty buckets; ok is false without
// observations.
func rangeOf(b drift.Binned) (valueRange, bool) {
	first, last := nonEmpty(b.Counts)
	if first < 0 {
		return valueRange{}, false
	}
	r := valueRange{Min: math.Inf(-1), Max: b.Bounds[last]}
	if first > 0 {
		r.Min = b.Bounds[first-1]
	}
	return r, true
}

// nonEmpty are the indexes of the first and last count above 0; -1, -1
// when there is none.
func nonEmpty(counts []float64) (first, last int) {
	first, last = -1, -1
	for i, c := range counts {
		if c > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	return first, last
}

// outOfRange is the share of cur's observations below the reference's
// first non-empty bucket or above its last: an empty bucket between two
// full ones is within the range (a gap, not a new extreme). When the
// buckets differ it falls back to the reference's recorded range (rng):
// the share in buckets wholly outside it. ok is false when neither
// applies or cur is empty.
func outOfRange(ref, cur drift.Binned, rng *valueRange) (float64, bool) {
	total := cur.Total()
	if total <= 0 {
		return 0, false
	}
	if sameBounds(ref.Bounds, cur.Bounds) && len(ref.Counts) == len(cur.Counts) {
		first, last := nonEmpty(ref.Counts)
		if first < 0 {
			return 0, false
		}
		out := 0.0
		for i, c := range cur.Counts {
			if i < first || i > last {
				out += c
			}
		}
		return out / total, true
	}
	if rng == nil {
		r, ok := rangeOf(ref)
		if !ok {
			return 0, false
		}
		rng = &r
	}
	out := 0.0
	for i, c := range cur.Counts {
		lo := math.Inf(-1)
		if i > 0 {
			lo = cur.Bounds[i-1]
		}
		if cur.Bounds[i] <= rng.Min || lo >= rng.Max {
			out += c
		}
	}
	return out / total, true
}

// unseen lists cur's categories that ref never saw, largest share first
// (ties by name), at most fleet.UnseenListed, and their total share.
func unseen(ref, cur drift.Categorical) ([]fleet.CategoryShare, *float64) {
	total := catTotal(cur)
	if total <= 0 {
		return nil, nil
	}
	var all []fleet.CategoryShare
	sum := 0.0
	for c, n := range cur {
		if n > 0 && !(ref[c] > 0) {
			all = append(all, fleet.CategoryShare{Category: c, Share: n / total})
			sum += n
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Share != all[j].Share {
			return all[i].Share > all[j].Share
		}
		return all[i].Category < all[j].Category
	})
	if len(all) > fleet.UnseenListed {
		all = all[:fleet.UnseenListed]
	}
	share := sum / total
	return all, &share
}
