package config

import (
	"slices"
	"strings"
)

// DefaultMinPerBucket is drift.min_per_bucket's default: at 100 observations
// a bucket PSI's sampling noise, about (buckets − 1) ÷ observations, stays
// near 0.01, a tenth of its threshold.
const DefaultMinPerBucket = 100

// driftMethods maps every accepted spelling of a drift method to its
// canonical name, mirroring internal/drift (a test keeps them in step).
var driftMethods = map[string]string{
	"psi":                  "psi",
	"ks":                   "ks",
	"jensenshannon":        "jensenshannon",
	"wasserstein":          "wasserstein",
	"hellinger":            "hellinger",
	"chisquare":            "chisquare",
	"kl_div":               "kl_div",
	"z":                    "z",
	"js":                   "jensenshannon",
	"jensen_shannon":       "jensenshannon",
	"wasserstein_distance": "wasserstein",
	"ks_pvalue":            "ks",
	"chi2":                 "chisquare",
	"chi_square":           "chisquare",
	"kl":                   "kl_div",
	"z_test":               "z",
	"ztest":                "z",
}

// pValueMethods score with a p-value, so their threshold is a probability.
var pValueMethods = map[string]bool{"ks": true, "chisquare": true, "z": true}

// canonicalMethod returns the canonical drift method name, or "" if unknown.
func canonicalMethod(m string) string {
	return driftMethods[strings.ToLower(strings.TrimSpace(m))]
}

// driftMethodNames lists the canonical names, sorted, for messages.
func driftMethodNames() []string {
	var names []string
	for name, canon := range driftMethods {
		if name == canon {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
