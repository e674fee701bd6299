package judge

import (
	"math"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
)

// DefaultDriftShare is the share of drifted features at which a version's
// dataset counts as drifted (Evidently's dataset drift default).
const DefaultDriftShare = 0.5

// DefaultRateWindow is the configuration's default window.
const DefaultRateWindow = time.Minute

// Config is everything the judge compares against.
type Config struct {
	Thresholds fleet.Thresholds
	// DriftShare is the share of judged features that must drift for
	// dataset drift; <= 0 means DefaultDriftShare.
	DriftShare float64
	// DriftThresholds override drift.DefaultThreshold, per method.
	DriftThresholds map[string]float64
	// RateWindow is the window rates are taken over: a version younger
	// than it is warming up. 0 means unknown.
	RateWindow time.Duration
	// Comparisons decides candidate-vs-stable verdicts (verdict.go).
	Comparisons Comparisons
	// Estimate is how quality estimated without labels is judged.
	Estimate EstimateConfig
	// DataQuality is when missing, out-of-range and unseen values alarm.
	DataQuality DataQualityConfig
}

// Default is SPEC's defaults.
func Default() Config {
	return Config{Thresholds: fleet.DefaultThresholds, DriftShare: DefaultDriftShare, RateWindow: DefaultRateWindow, Estimate: DefaultEstimate(),
		DataQuality: DefaultDataQuality()}
}

// FromConfig turns the configuration file's thresholds into the judge's:
// the one place that does, for the local dashboard, `serve`, the poller
// and the one-shot commands alike.
func FromConfig(cfg *config.Config) Config {
	if cfg == nil {
		return Default()
	}
	return Config{
		Thresholds: fleet.Thresholds{
			ErrorRate: cfg.Thresholds.ErrorRate, LabelAge: cfg.Thresholds.LabelAge,
			QualityDrop: cfg.Thresholds.QualityDrop, MinLabels: cfg.Thresholds.MinLabels,
			LatencyP95: cfg.Thresholds.LatencyP95, SilentShare: cfg.Thresholds.SilentShare, Availability: cfg.Thresholds.Availability,
		},
		DriftShare:      cfg.Drift.Share,
		DriftThresholds: cfg.Drift.Thresholds,
		RateWindow:      cfg.Window,
		Comparisons:     comparisonsFrom(cfg),
		Estimate:        EstimateConfig{MaxECE: cfg.Estimate.MaxECE, Health: cfg.Estimate.Health, Window: cfg.Drift.Window},
		DataQuality:     dataQualityFrom(cfg),
	}
}

func (c Config) share() float64 {
	if c.DriftShare <= 0 || math.IsNaN(c.DriftShare) {
		return DefaultDriftShare
	}
	return c.DriftShare
}

// Threshold is a drift method's threshold: configured, else Evidently's
// default; ok is false when neither exists.
func (c Config) Threshold(method string) (float64, bool) {
	if t, ok := c.configured(method); ok {
		return t, true
	}
	return drift.DefaultThreshold(method)
}

// configured is the threshold the configuration sets for a method.
func (c Config) configured(method string) (float64, bool) {
	m := drift.Canonical(method)
	for k, v := range c.DriftThresholds {
		if drift.Canonical(k) == m && known(v) {
			return v, true
		}
	}
	return 0, false
}

func known(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func knownPtr(p *float64) bool { return p != nil && known(*p) }
