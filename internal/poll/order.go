package poll

import (
	"sort"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
)

func trackRank(t string) int {
	switch t {
	case fleet.TrackStable:
		return 0
	case fleet.TrackCanary:
		return 1
	case fleet.TrackShadow:
		return 2
	}
	return 3
}

// sortVersions orders stable, canary, shadow, then the rest; newest first
// within each.
func sortVersions(vs []fleet.Version) {
	sort.Slice(vs, func(i, j int) bool {
		ri, rj := trackRank(vs[i].Track), trackRank(vs[j].Track)
		if ri != rj {
			return ri < rj
		}
		return compareVersions(vs[i].Version, vs[j].Version) > 0
	})
}

// compareVersions compares version ids with runs of digits taken as
// numbers, so "12" > "9" and "v1.10" > "v1.9". It returns -1, 0 or 1.
func compareVersions(a, b string) int {
	for a != "" && b != "" {
		ca, ra := chunk(a)
		cb, rb := chunk(b)
		if c := compareChunk(ca, cb); c != 0 {
			return c
		}
		a, b = ra, rb
	}
	switch {
	case a == b:
		return 0
	case a == "":
		return -1
	}
	return 1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// chunk splits off the leading run of digits or of non-digits.
func chunk(s string) (string, string) {
	d := isDigit(s[0])
	i := 1
	for i < len(s) && isDigit(s[i]) == d {
		i++
	}
	return s[:i], s[i:]
}

func compareChunk(a, b string) int {
	if isDigit(a[0]) && isDigit(b[0]) {
		ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(ta) != len(tb) {
			if len(ta) < len(tb) {
				return -1
			}
			return 1
		}
		if c := strings.Compare(ta, tb); c != 0 {
			return c
		}
		// Equal numbers: fall back to the text so "01" and "1" still differ.
	}
	return strings.Compare(a, b)
}
