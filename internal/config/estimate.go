package config

import "time"

// Estimate configures quality estimated without labels (CBPE) for binary
// classifiers; see docs/estimate.md.
type Estimate struct {
	// CalibrationWindow is how far back labelled scores are read to learn
	// how often each score bucket turns out positive.
	CalibrationWindow time.Duration `yaml:"calibration_window"`
	// Threshold is the decision threshold: scores above it are predicted
	// positive. It must be one of the score histogram's bucket bounds; a
	// registry version tag mltop.threshold overrides it.
	Threshold float64 `yaml:"threshold"`
	// MaxECE is the expected calibration error above which an estimate is
	// shown as unreliable.
	MaxECE float64 `yaml:"max_ece"`
	// Health says what the estimate may do to health: "warn" (an estimated
	// drop warns, only a measured one with enough labels is critical),
	// "off" (the estimate is shown, never judged).
	Health string `yaml:"health"`
}

// Verdict configures comparisons between a candidate and its stable
// version (compare screen, `mltop verdict`, /v1/verdict).
type Verdict struct {
	// Window bounds the counts compared: since the candidate started, at
	// most this long.
	Window time.Duration `yaml:"window"`
	// Alpha is the always-valid test's false-alarm rate.
	Alpha float64 `yaml:"alpha"`
}

// Defaults for the estimate and verdict sections.
const (
	DefaultCalibrationWindow = 7 * 24 * time.Hour
	DefaultEstimateThreshold = 0.5
	DefaultMaxECE            = 0.05
	DefaultVerdictWindow     = time.Hour
	DefaultVerdictAlpha      = 0.05
)

// EstimateHealthModes are the values estimate.health accepts.
var EstimateHealthModes = []string{"warn", "off"}

func (v *validator) estimate(e *Estimate) {
	v.atLeast("estimate.calibration_window", e.CalibrationWindow, time.Second)
	if !(e.Threshold > 0 && e.Threshold < 1) {
		v.errorf("estimate.threshold", "must be a score between 0 and 1 (exclusive) that is a bucket bound of model_prediction_value, got %s", formatFloat(e.Threshold))
	}
	if !(e.MaxECE > 0 && e.MaxECE <= 1) {
		v.errorf("estimate.max_ece", "must be above 0 and at most 1, got %s", formatFloat(e.MaxECE))
	}
	ok := false
	for _, m := range EstimateHealthModes {
		ok = ok || e.Health == m
	}
	if !ok {
		v.errorf("estimate.health", "%s", unknownMsg("mode", e.Health, EstimateHealthModes, true))
	}
}

func (v *validator) verdict(d *Verdict) {
	v.atLeast("verdict.window", d.Window, time.Second)
	if !(d.Alpha > 0 && d.Alpha < 0.5) {
		v.errorf("verdict.alpha", "must be a probability above 0 and below 0.5, got %s", formatFloat(d.Alpha))
	}
}
