package histdrift

import (
	"errors"

	"github.com/mltop/mltop/internal/drift"
)

// numericReference picks a numeric feature's reference: the registry
// profile when it has the feature with the same buckets, else the offset
// window.
// order is the reference's features of k's part, i k's position among the
// part's current features (refCache.lookup).
func (c *Calculator) numericReference(a *versionResult, order []refEntry, i int, k seriesKey, cur drift.Binned) (drift.Binned, string, bool) {
	if p := a.profile; p != nil {
		if b, ok := p.numeric[k.feature]; ok {
			if sameBounds(b.Bounds, cur.Bounds) {
				return b, SourceRegistry, true
			}
			a.problem("feature " + quote(k.feature) + ": the profile's buckets differ from the exporter's")
		} else if _, cat := p.categorical[k.feature]; cat {
			a.problem("feature " + quote(k.feature) + ": categories in the profile, buckets in the metrics")
		}
	}
	r, ok := c.refNum.lookup(order, i, k)
	if !ok || r.err != nil || !sameBounds(r.b.Bounds, cur.Bounds) {
		return drift.Binned{}, "", false
	}
	return r.b, offsetSource, true
}

func (c *Calculator) categoricalReference(a *versionResult, k seriesKey, refCat map[seriesKey]drift.Categorical) (drift.Categorical, string, bool) {
	if p := a.profile; p != nil {
		if r, ok := p.categorical[k.feature]; ok {
			return r, SourceRegistry, true
		}
		if _, num := p.numeric[k.feature]; num {
			a.problem("feature " + quote(k.feature) + ": buckets in the profile, categories in the metrics")
		}
	}
	r, ok := refCat[k]
	return r, offsetSource, ok
}

// offsetSource marks the offset window until finish names it.
const offsetSource = "offset"

func (c *Calculator) thresholdFor(method string) float64 {
	return c.threshold[method] // 0: drift uses the default
}

// scoreBinned scores with the configured method, or Auto where it does not apply.
func (c *Calculator) scoreBinned(ref, cur drift.Binned) (drift.Result, error) {
	m := c.method
	if m == drift.Auto {
		m = drift.ChooseMethod(true, ref.Total(), 0)
	}
	r, err := drift.Compute(m, ref, cur, c.thresholdFor(m))
	if errors.Is(err, drift.ErrNotApplicable) && c.method != drift.Auto {
		m = drift.ChooseMethod(true, ref.Total(), 0)
		r, err = drift.Compute(m, ref, cur, c.thresholdFor(m))
	}
	if err == nil {
		if e := c.tooFew(r.Method, len(ref.Counts), ref.Total(), cur.Total()); e != nil {
			return r, e
		}
	}
	return r, err
}

// tooFew applies MinPerBucket to a distance over cells buckets: nil when
// there are enough observations on both sides.
func (c *Calculator) tooFew(method string, cells int, ref, cur float64) error {
	if drift.IsPValue(method) || c.opts.MinPerBucket < 0 {
		return nil
	}
	least := c.opts.MinPerBucket * float64(cells)
	switch {
	case cur < least && cur <= ref:
		return &tooFewError{observed: cur, least: least, window: WindowCurrent}
	case ref < least:
		return &tooFewError{observed: ref, least: least, window: WindowReference}
	case cur < least:
		return &tooFewError{observed: cur, least: least, window: WindowCurrent}
	}
	return nil
}

// The windows a count of observations can come from (FeatureDrift's
// ObservationsWindow).
const (
	WindowCurrent   = "current"
	WindowReference = "reference"
)

func (c *Calculator) scoreCategorical(ref, cur drift.Categorical) (drift.Result, error) {
	m := c.method
	if m == drift.Auto {
		m = autoCategorical(ref, cur)
	}
	r, err := drift.ComputeCategorical(m, ref, cur, c.thresholdFor(m))
	if errors.Is(err, drift.ErrNotApplicable) && c.method != drift.Auto {
		m = autoCategorical(ref, cur)
		r, err = drift.ComputeCategorical(m, ref, cur, c.thresholdFor(m))
	}
	if err == nil {
		names, rc, cc := drift.Align(ref, cur)
		if e := c.tooFew(r.Method, len(names), sum(rc), sum(cc)); e != nil {
			return r, e
		}
	}
	return r, err
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// autoCategorical is ComputeCategorical's own Auto pick, resolved here so
// that the threshold configured for the picked method applies.
func autoCategorical(ref, cur drift.Categorical) string {
	names, r, _ := drift.Align(ref, cur)
	total := 0.0
	for _, v := range r {
		total += v
	}
	return drift.ChooseMethod(false, total, len(names))
}

func sameBounds(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func quote(s string) string { return `"` + s + `"` }
