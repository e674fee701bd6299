// Package drift holds drift statistics and verdicts: pure functions, no I/O.
package drift

import (
	"math"
	"slices"
	"strings"
)

// Method names as they appear in model_drift_score{method=...} and config.
// They follow Evidently's names so exported scores read the same in both.
const (
	PSI         = "psi"
	KS          = "ks"
	JensenShann = "jensenshannon"
	Wasserstein = "wasserstein"
	Hellinger   = "hellinger"
	ChiSquare   = "chisquare"
	KLDiv       = "kl_div"
	Z           = "z" // two-proportion z-test, Evidently's default for binary data

	// Auto asks Compute to pick the method the way Evidently does (ChooseMethod).
	Auto = "auto"
)

// defaults are Evidently's default thresholds per method.
var defaults = map[string]float64{
	PSI:         0.1,
	KS:          0.05,
	JensenShann: 0.1,
	Wasserstein: 0.1,
	Hellinger:   0.1,
	ChiSquare:   0.05,
	KLDiv:       0.1,
	Z:           0.05,
}

// aliases map common spellings onto the canonical method name.
var aliases = map[string]string{
	"js":                   JensenShann,
	"jensen_shannon":       JensenShann,
	"wasserstein_distance": Wasserstein,
	"ks_pvalue":            KS,
	"chi2":                 ChiSquare,
	"chi_square":           ChiSquare,
	"kl":                   KLDiv,
	"z_test":               Z,
	"ztest":                Z,
}

// shortNames fit narrow columns.
var shortNames = map[string]string{
	JensenShann: "js", Wasserstein: "wass", Hellinger: "hell", ChiSquare: "chi²", KLDiv: "kl",
}

// ShortName is a method's name for narrow columns: js, wass, chi²...
func ShortName(method string) string {
	if s, ok := shortNames[Canonical(method)]; ok {
		return s
	}
	return method
}

// Canonical returns the canonical name of a method, lower-cased.
func Canonical(method string) string {
	m := strings.ToLower(strings.TrimSpace(method))
	if a, ok := aliases[m]; ok {
		return a
	}
	return m
}

// IsPValue reports whether a method's score is a p-value (drift when below
// the threshold) rather than a distance (drift when at or above it). As in
// Evidently, KS, chi-square and the z-test report p-values.
func IsPValue(method string) bool {
	m := Canonical(method)
	return m == KS || m == ChiSquare || m == Z
}

// DefaultThreshold returns Evidently's default threshold for a method.
func DefaultThreshold(method string) (float64, bool) {
	t, ok := defaults[Canonical(method)]
	return t, ok
}

// Drifted gives the verdict for a score against a threshold.
func Drifted(method string, score, threshold float64) bool {
	if IsPValue(method) {
		return score < threshold
	}
	return score >= threshold
}

// Severity scales a score so that 1 means "at the threshold" and larger is
// worse, whatever the method's direction; used to pick the worst feature.
// It is at least 1 exactly when Drifted is true.
func Severity(method string, score, threshold float64) float64 {
	if IsPValue(method) {
		if score <= 0 {
			return 1e9
		}
		if score >= threshold {
			// A p-value at the threshold is not below it: no drift, so its
			// severity stays under 1, as every undrifted score's does.
			return math.Min(threshold/score, math.Nextafter(1, 0))
		}
		return threshold / score
	}
	if threshold <= 0 {
		return score
	}
	return score / threshold
}

// Methods lists the methods with a default threshold, sorted.
func Methods() []string {
	ms := make([]string, 0, len(defaults))
	for m := range defaults {
		ms = append(ms, m)
	}
	slices.Sort(ms)
	return ms
}

// Spellings lists every name Canonical maps onto method (its canonical
// name first, then its aliases, sorted), for matching exported scores
// outside Go, as the generated alerting rules do.
func Spellings(method string) []string {
	m := Canonical(method)
	var alts []string
	for a, c := range aliases {
		if c == m {
			alts = append(alts, a)
		}
	}
	slices.Sort(alts)
	return append([]string{m}, alts...)
}
