package fleet

import "strings"

// TrackRank orders tracks for listing versions: stable, canary, shadow,
// then the rest.
func TrackRank(track string) int {
	switch track {
	case TrackStable:
		return 0
	case TrackCanary:
		return 1
	case TrackShadow:
		return 2
	}
	return 3
}

// CompareVersions compares version ids with runs of digits taken as
// numbers, so "12" > "9" and "v1.10" > "v1.9". It returns -1, 0 or 1.
func CompareVersions(a, b string) int {
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
