package judge

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
)

// EstimateConfig is how quality estimated without labels is judged.
type EstimateConfig struct {
	// MaxECE is the calibration error above which an estimate is
	// unreliable: shown, never judged; <= 0 means config.DefaultMaxECE.
	MaxECE float64
	// Health is "warn" (an estimated drop warns, never more) or "off" (the
	// estimate is shown, never judged); "" means "warn".
	Health string
	// Window is drift.window: a measured value whose newest label is older
	// gives way to the estimate. 0: only a missing measured value does.
	Window time.Duration
}

// EstimateHealthOff is the estimate.health value that keeps the estimate
// out of health.
const EstimateHealthOff = "off"

// IntervalStdError names the interval of an estimate: ± 1.96 standard
// errors.
const IntervalStdError = "estimate ± 1.96 standard errors"

// DefaultEstimate is the estimate section's defaults, with drift.window's.
func DefaultEstimate() EstimateConfig {
	return EstimateConfig{MaxECE: config.DefaultMaxECE, Health: "warn", Window: time.Hour}
}

func (e EstimateConfig) maxECE() float64 {
	if !(e.MaxECE > 0) {
		return config.DefaultMaxECE
	}
	return e.MaxECE
}

// estimateNames are the estimate's names of measured metrics that go by
// another name.
var estimateNames = map[string]string{"auc": "roc_auc"}

// estimatePreference orders estimated metrics for a headline when there is
// no measured or offline one.
var estimatePreference = []string{"roc_auc", "f1", "accuracy", "precision", "recall"}

// EstimateOf is the version's estimate of a measured metric (auc is
// estimated as roc_auc); ok is false without one.
func EstimateOf(v *fleet.Version, metric string) (fleet.Estimate, bool) {
	m := strings.ToLower(metric)
	if e, ok := v.EstimatedPerformance[m]; ok {
		return e, true
	}
	if alias, ok := estimateNames[m]; ok {
		e, ok := v.EstimatedPerformance[alias]
		return e, ok
	}
	return fleet.Estimate{}, false
}

// MeasuredIsOld reports whether the measured quality is too old to head
// the version: absent, or its newest label older than the window.
func (c Config) MeasuredIsOld(v *fleet.Version) bool {
	q := v.Quality
	if q == nil || q.Live == nil {
		return true
	}
	age := v.GroundTruth.LastLabelAgeSeconds
	return c.Estimate.Window > 0 && knownPtr(age) && *age > c.Estimate.Window.Seconds()
}

// judgeEstimate marks an uncalibrated estimate unreliable and, when the
// measured headline is old or missing, puts the estimate of the same
// metric in its place (Estimated, with the measured value kept).
func (c Config) judgeEstimate(v *fleet.Version) {
	if cal := v.Calibration; cal != nil {
		cal.MaxECE = c.Estimate.maxECE()
		// Only an ECE beyond what as few labels show by chance: with a few
		// hundred labels a perfectly calibrated model reads ECE ≈ .03, and
		// the verdict would flap from one refresh to the next.
		cal.Unreliable = cal.Unavailable == "" && cal.Labels > 0 && cal.ECE-cal.ECENoise > cal.MaxECE
	}
	if len(v.EstimatedPerformance) == 0 || !c.MeasuredIsOld(v) {
		return
	}
	q := v.Quality
	if q == nil {
		name := headlineEstimate(v.EstimatedPerformance)
		if name == "" {
			return
		}
		q = &fleet.Quality{Metric: name, LowerIsBetter: LowerIsBetter(name)}
	}
	est, ok := EstimateOf(v, q.Metric)
	if !ok || !known(est.Value) {
		return
	}
	val := est.Value
	q.Measured, q.Live, q.Estimated = q.Live, &val, true
	q.StdError, q.Interval, q.IntervalMethod = nil, nil, ""
	if se := est.StdError; knownPtr(se) && *se >= 0 {
		s := *se
		q.StdError = &s
		iv := [2]float64{val - z95*s, val + z95*s}
		if !q.LowerIsBetter {
			iv = [2]float64{math.Max(0, iv[0]), math.Min(1, iv[1])}
		}
		q.Interval, q.IntervalMethod = &iv, IntervalStdError
	}
	// Labels stays the measured value's count; the labels an estimate
	// rests on are the calibration's (Calibration.Labels), and they say
	// whether it is low confidence.
	q.LowConfidence = false
	if cal := v.Calibration; cal != nil && cal.Unavailable == "" && est.StdError != nil {
		q.LowConfidence = c.Thresholds.MinLabels > 0 && cal.Labels < float64(c.Thresholds.MinLabels)
	}
	v.Quality = q
	c.judgeDelta(q)
}

func headlineEstimate(m map[string]fleet.Estimate) string {
	for _, name := range estimatePreference {
		if _, ok := m[name]; ok {
			return name
		}
	}
	return ""
}

// estimateFindings: with estimate.health warn, an estimated headline past
// quality_drop warns, worded as estimated; never critical, never a breach
// (only a measured drop with enough labels breaches), and never from an
// unreliable or low-confidence estimate.
func (c Config) estimateFindings(v *fleet.Version, add func(string, fleet.Status, bool, string, ...any)) {
	q, t := v.Quality, c.Thresholds
	if c.Estimate.Health == EstimateHealthOff || q == nil || !q.Estimated || q.Live == nil || q.Baseline == nil || t.QualityDrop <= 0 {
		return
	}
	if cal := v.Calibration; cal != nil && cal.Unreliable || q.LowConfidence {
		return
	}
	if !(q.Relative || !q.LowerIsBetter) || q.Delta < t.QualityDrop {
		return
	}
	var drop string
	if q.Relative {
		drop = fmt.Sprintf("estimated %s %.3g, %.0f%% above offline %.3g", q.Metric, *q.Live, q.Delta*100, *q.Baseline)
	} else {
		drop = fmt.Sprintf("estimated %s %s, %s below offline %s", q.Metric, score(*q.Live), score(q.Delta), score(*q.Baseline))
	}
	add(fleet.CheckQualityDrop, fleet.StatusWarn, false, "%s (%s)", drop, labelsNote(v))
}

// score writes a bounded score as the fleet does: ".81".
func score(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	if strings.HasPrefix(s, "0.") {
		return s[1:]
	}
	return s
}

// labelsNote says how old the measured value is.
func labelsNote(v *fleet.Version) string {
	if age := v.GroundTruth.LastLabelAgeSeconds; knownPtr(age) {
		return "labels " + human.Age(*age) + " old"
	}
	return "no measured value"
}

// EstimateRoles are the roles estimated quality comes from: the screens
// dim an estimate by RolesStale(s, EstimateRoles...). A failed calibration
// query keeps its last answer (days of labels barely move in minutes), so
// it does not make the version's health stale.
var EstimateRoles = []fleet.Role{fleet.RoleScoreCalibration, fleet.RoleFeatureBuckets, fleet.RolePerformanceEstimate}
