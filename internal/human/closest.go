package human

import (
	"slices"
	"strings"
)

// ClosestNames returns up to n of names nearest to name: by edit distance
// (case aside) within a third of its length, or holding it whole.
func ClosestNames(name string, names []string, n int) []string {
	type cand struct {
		name string
		d    int
	}
	want := strings.ToLower(name)
	limit := max(2, len([]rune(want))/3)
	var cs []cand
	for _, s := range names {
		low := strings.ToLower(s)
		d := EditDistance(want, low)
		if d > limit && (len(want) < 3 || !strings.Contains(low, want) && !strings.Contains(want, low)) {
			continue
		}
		cs = append(cs, cand{s, d})
	}
	slices.SortStableFunc(cs, func(a, b cand) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.name, b.name)
	})
	out := make([]string, 0, min(n, len(cs)))
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.name)
	}
	return out
}
