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

// However large or odd a value, it fits a cell: SI prefixes, then an
// exponent; never hundreds of digits, never "+Inf%". A value its kind
// cannot take is marked, not shown as a normal-looking number.
func TestExtremeAndImpossibleValues(t *testing.T) {
	cases := []struct{ got, want string }{
		// Rates: SI prefixes chosen after rounding, then an exponent.
		{Rate(1e300), "1e300"}, {Rate(-1e300), "-1e300"}, {Rate(2.5e21), "2.5e21"}, {Rate(5e9), "5G"},
		{Rate(1.2e12), "1.2T"}, {Rate(3e15), "3P"}, {Rate(7e18), "7E"}, {Rate(999_990), "1M"}, {Rate(999.96), "1k"},
		{Rate(99.97), "100"}, {Rate(0.001), "<0.01"}, {Rate(math.Inf(1)), "—"},
		// Latency: a negative one is marked; huge and tiny ones stay short.
		{Seconds(-0.15), "!-150ms"}, {Seconds(-0.0005), "!-500µs"}, {Seconds(-2), "!-2s"},
		{Seconds(1e300), "1e300s"}, {Seconds(1e-300), "1e-300s"}, {Seconds(0.99996), "1s"}, {Seconds(0.00099996), "1ms"},
		{Seconds(1e9), "11574d"},
		// Ratios: outside 0..1 is impossible; huge ones in exponent form.
		{Percent(1e300), "!1e302%"}, {Percent(math.MaxFloat64), "!1.8e310%"}, {Percent(1.5), "!150.0%"},
		{Percent(-0.02), "!-2.0%"}, {Percent(123.456), "!12346%"}, {Percent(1 + 1e-12), "100.0%"},
		// Ages beyond what a time.Duration holds.
		{Age(1e12), "1.2e7d"}, {Age(1e10), "115741d"}, {Age(1e300), "1.2e295d"}, {Age(-1e300), "-1.2e295d"}, {Duration(math.MinInt64), "-106751d"},
		// Scores past a thousand take the rates' prefixes.
		{Score(1e300), "1e300"}, {Score(1234), "1.2k"}, {Score(999.97), "1k"},
		{Exp(3e-7), "3e-7"}, {Exp(1), "1e0"},
		{PercentWhole(1), "100%"}, {PercentWhole(1.5), "!150%"}, {PercentWhole(1e300), "!1e302%"}, {PercentWhole(0.041), "4%"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
	for _, v := range []float64{1e300, -1e300, math.MaxFloat64, 1e-300, -1e-300, 123456789.123} {
		for name, s := range map[string]string{"Rate": Rate(v), "Seconds": Seconds(v), "Percent": Percent(v), "Age": Age(v), "Score": Score(v)} {
			if len([]rune(s)) > 12 {
				t.Errorf("%s(%g) = %q: too long for a cell", name, v, s)
			}
		}
	}
}
