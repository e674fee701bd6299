package uitest

import (
	"math"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// addCounts gives the versions with a candidate beside them an hour of
// request, error and latency counts, as the verdict_counts and
// verdict_latency roles would: credit-risk's canary close to its stable
// version (a verdict of pass), search-ranker's shadow with five times the
// errors and slower (fail).
func addCounts(models []fleet.Model) {
	les := []float64{0.005, 0.01, 0.025, 0.05, 0.1, math.Inf(1)}
	counts := func(req, errRate float64, shares ...float64) *fleet.Counts {
		c := &fleet.Counts{Window: time.Hour, Requests: f(req), Errors: f(math.Round(req * errRate))}
		for i, s := range shares {
			c.Latency = append(c.Latency, fleet.Bucket{Le: les[i], Count: math.Round(req * s)})
		}
		return c
	}
	for i := range models {
		m := &models[i]
		for j := range m.Versions {
			v := &m.Versions[j]
			switch m.Name + "/" + v.Version {
			case "credit-risk/11":
				v.Counts = counts(145080, 0.005, 0.01, 0.05, 0.80, 0.997, 0.999, 1)
			case "credit-risk/12":
				v.Counts = counts(48240, 0.004, 0.01, 0.04, 0.78, 0.973, 0.998, 1)
			case "search-ranker/21":
				v.Counts = counts(12.24e6, 0.0002, 0.3, 0.9, 0.994, 0.998, 0.999, 1)
			case "search-ranker/22":
				v.Counts = counts(12.24e6, 0.001, 0.15, 0.78, 0.9925, 0.996, 0.998, 1)
			}
		}
	}
}
