package wiring

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
)

// Detection asks one small question; it may not hold up the start for a
// whole query timeout.
const (
	maxProfileDetectTimeout = 5 * time.Second
	// profileLookback is how far back a metric counts as present: an
	// exporter that stopped an hour ago is not picked.
	profileLookback = time.Hour
)

// metricNamer is what detection asks: the Prometheus-compatible source.
type metricNamer interface {
	MetricNames(ctx context.Context, matches []string, start, end time.Time, limit int) ([]string, error)
}

// Detect returns the config the commands run with. When it writes no
// prometheus.profile and names a Prometheus-compatible server
// (config.DetectsProfiles), Detect asks the server which of the profiles'
// metrics it holds (one GET /api/v1/label/__name__/values, bounded with
// match[] to those names and to the last hour, within
// min(prometheus.timeout, 5s)) and returns a copy reading every profile
// found, in config.DetectionOrder. When the question fails or finds
// nothing, the copy reads every exporter profile: their union answers
// whatever exporter turns out to be scraped (an absent profile's
// selectors match nothing), at the cost of larger queries, and the status
// says why. Otherwise cfg itself. The outcome is recorded on the copy
// (Prometheus.Detection), which New shows in the metrics source's status,
// and logged.
func Detect(ctx context.Context, cfg *config.Config, log *slog.Logger) *config.Config {
	if !cfg.DetectsProfiles() {
		return cfg
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	src, idle, err := newPrometheus(cfg, log)
	if err != nil {
		// New reports the same error when it builds the source.
		return fallbackProfiles(cfg, err.Error(), log)
	}
	if idle != nil {
		defer idle.CloseIdleConnections()
	}
	return detectWith(ctx, cfg, src, time.Now(), log)
}

func detectWith(ctx context.Context, cfg *config.Config, src metricNamer, now time.Time, log *slog.Logger) *config.Config {
	ctx, cancel := context.WithTimeout(ctx, min(cfg.Prometheus.Timeout, maxProfileDetectTimeout))
	defer cancel()
	lookedFor := config.DetectionMetrics()
	present, err := src.MetricNames(ctx, nameSelectors(lookedFor), now.Add(-profileLookback), now, 0)
	if err != nil {
		return fallbackProfiles(cfg, "profiles not detected: "+err.Error(), log)
	}
	found := config.DetectProfiles(present)
	if !slices.ContainsFunc(found, func(n string) bool { return !config.IsRolloutOnly(n) }) {
		// Without an exporter's metrics there is nothing to choose from:
		// a rollout controller alone reads no model.
		return fallbackProfiles(cfg, "no exporter profile's metrics on the server in the last hour (looked for "+strings.Join(exporterMetrics(), ", ")+")", log, found...)
	}
	log.Info("profiles detected", "profiles", found, "looked_for", len(lookedFor))
	return cfg.WithDetectedProfiles(found, config.ProfileDetection{Detected: true, LookedFor: lookedFor})
}

// fallbackProfiles reads every exporter profile and the rollout profiles
// found, saying why.
func fallbackProfiles(cfg *config.Config, problem string, log *slog.Logger, rollouts ...string) *config.Config {
	all := append(config.ExporterProfiles(), rollouts...)
	log.Warn("profiles not detected: reading every exporter profile", "problem", problem, "profiles", all)
	return cfg.WithDetectedProfiles(all, config.ProfileDetection{LookedFor: config.DetectionMetrics(), Problem: problem})
}

// nameSelectors are match[] selectors for exactly these metric names.
func nameSelectors(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("{__name__=%q}", n)
	}
	return out
}

// metricsProfiles is what the metrics source's status says of its
// profiles; nil without a metrics source.
func metricsProfiles(cfg *config.Config, metrics poll.MetricsSource) *fleet.Profiles {
	if metrics == nil {
		return nil
	}
	return metricsProfilesOf(cfg)
}

// metricsProfilesOf is what cfg says of its profiles.
func metricsProfilesOf(cfg *config.Config) *fleet.Profiles {
	p := &fleet.Profiles{Names: slices.Clone(cfg.Prometheus.Profile)}
	if d := cfg.Prometheus.Detection; d != nil {
		p.Detected, p.Problem = d.Detected, d.Problem
	}
	return p
}

// exporterMetrics are the metrics that identify the exporter profiles, in
// detection order: what an empty answer says was looked for.
func exporterMetrics() []string {
	var out []string
	for _, name := range config.ExporterProfiles() {
		out = append(out, config.ProfileMetrics(name)...)
	}
	return out
}
