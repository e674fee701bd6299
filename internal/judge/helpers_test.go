package judge

import "github.com/mltop/mltop/internal/fleet"

func ptr[T any](v T) *T { return &v }

// cfgOf is the judge's configuration with thresholds t and defaults for
// the rest.
func cfgOf(t fleet.Thresholds) Config {
	c := Default()
	c.Thresholds = t
	return c
}
