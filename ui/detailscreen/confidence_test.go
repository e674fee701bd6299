package detailscreen

import (
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

// Live quality carries its label count and interval: "(n=52, ±0.09)".
func TestConfidenceText(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	iv := func(lo, hi float64) *[2]float64 { return &[2]float64{lo, hi} }
	cases := []struct {
		q    fleet.Quality
		want string
	}{
		{fleet.Quality{Live: f(0.9), Labels: f(400), Interval: iv(0.86, 0.94)}, "(n=400, ±0.04)"},
		{fleet.Quality{Live: f(0.88), Labels: f(52), Interval: iv(0.79, 0.97), LowConfidence: true}, "(n=52, ±0.09, low confidence)"},
		{fleet.Quality{Live: f(0.8), Labels: f(75000), Interval: iv(0.797, 0.803)}, "(n=75000, ±0.003)"},
		{fleet.Quality{Live: f(0.7), Labels: f(1036)}, "(n=1036)"},
		{fleet.Quality{Live: f(0.7)}, ""},
		{fleet.Quality{Labels: f(10)}, ""},
	}
	for _, c := range cases {
		if got := confidenceText(&c.q); got != c.want {
			t.Errorf("confidenceText(%+v) = %q, want %q", c.q, got, c.want)
		}
	}
}
