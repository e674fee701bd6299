package drift

import (
	"slices"
)

// Categorical is a categorical distribution: observations per category.
type Categorical map[string]float64

// Align puts two categorical distributions on common cells: the union of
// their categories, sorted by name, a category missing from one side counting
// 0 there. Categories that are 0 on both sides are dropped, as Evidently only
// knows categories that occur (and a chi-square test must not count them as
// degrees of freedom).
func Align(ref, cur Categorical) (names []string, r, c []float64) {
	names = make([]string, 0, max(len(ref), len(cur)))
	for k, v := range ref {
		if v != 0 || cur[k] != 0 {
			names = append(names, k)
		}
	}
	for k, v := range cur {
		if _, seen := ref[k]; !seen && v != 0 {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	r = make([]float64, len(names))
	c = make([]float64, len(names))
	for i, k := range names {
		r[i], c[i] = ref[k], cur[k]
	}
	return names, r, c
}
