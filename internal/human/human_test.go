package human

import (
	"math"
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	cases := []struct{ got, want string }{
		{Rate(0), "0"}, {Rate(0.25), "0.25"}, {Rate(48), "48"}, {Rate(48.26), "48.3"}, {Rate(1234), "1.2k"},
		{Rate(3400), "3.4k"}, {Rate(2e6), "2M"}, {Rate(math.NaN()), "—"}, {Rate(150.4), "150"},
		{Percent(0.041), "4.1%"}, {Percent(0), "0.0%"}, {Percent(0.0004), "<0.1%"}, {Percent(1), "100.0%"},
		{Seconds(0.912), "912ms"}, {Seconds(1.234), "1.23s"}, {Seconds(0.0005), "500µs"}, {Seconds(90), "1m30s"},
		{Age(45), "45s"}, {Age(180), "3m"}, {Age(3900), "1h5m"}, {Age(93600), "1d2h"}, {Age(172800), "2d"},
		{Age(12 * 86400), "12d"}, {Age(-30), "-30s"}, {Duration(90 * time.Minute), "1h30m"},
		{Score(0.81), ".81"}, {Score(0.07), ".07"}, {Score(-0.03), "-.03"}, {Score(1.2), "1.2"}, {Score(12.34), "12.3"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}
