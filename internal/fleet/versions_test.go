package fleet

import "testing"

func TestCompareVersions(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"12", "9", 1},
		{"9", "12", -1},
		{"3", "3", 0},
		{"v1.10", "v1.9", 1},
		{"1.2", "1.2.1", -1},
		{"", "1", -1},
		{"abc", "abd", -1},
		{"007", "7", -1}, // equal numbers: the text decides, so the order is total
		{"2", "10a", -1},
		{"99999999999999999999999", "1", 1}, // longer than int64: still compared
	}
	for _, tc := range cases {
		if got := CompareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestTrackRank(t *testing.T) {
	if !(TrackRank(TrackStable) < TrackRank(TrackCanary) && TrackRank(TrackCanary) < TrackRank(TrackShadow) && TrackRank(TrackShadow) < TrackRank("")) {
		t.Error("tracks out of order")
	}
}
