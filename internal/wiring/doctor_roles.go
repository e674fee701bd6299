package wiring

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/config"
)

// RoleCheck is one role: the profiles whose metrics for it are on the
// server, or, when none is, the metrics that were looked for.
type RoleCheck struct {
	Role string
	// Query: prometheus.queries sets the role; Off: it turns it off.
	Query, Off bool
	FilledBy   []RoleSource
	LookedFor  []RoleSource // when FilledBy is empty
	// Replaced are profiles read that have a query for the role but whose
	// query is not sent: a later rollout profile (or a profile after one)
	// replaced it.
	Replaced []string
}

// RoleSource is a profile and the metrics it reads for a role.
type RoleSource struct {
	Profile string
	Metrics []string
	// Absent are those of Metrics the server does not hold, when some of
	// them are there (a ratio missing its numerator answers nothing).
	Absent []string
}

// presentNames answers detection from names already asked for.
type presentNames []string

func (p presentNames) MetricNames(context.Context, []string, time.Time, time.Time, int) ([]string, error) {
	return p, nil
}

// checkProfiles chooses the profiles as the commands would (the written
// ones, else detection over present) and says which roles they fill.
func (d *Diagnosis) checkProfiles(cfg *config.Config, present []string) {
	have := make(map[string]bool, len(present))
	for _, n := range present {
		have[n] = true
	}
	anyPresent := func(ms []string) bool { return slices.ContainsFunc(ms, func(m string) bool { return have[m] }) }
	if cfg.ProfileExplicit() {
		for _, name := range cfg.Prometheus.Profile {
			if ms := config.ProfileMetrics(name); len(ms) > 0 && !anyPresent(ms) {
				d.problem("profile " + name + ": none of its metrics (" + strings.Join(ms, ", ") + ") on the server — remove it from prometheus.profile or check the scrape config")
			}
		}
	} else {
		cfg = detectWith(context.Background(), cfg, presentNames(present), time.Now(), slog.New(slog.DiscardHandler))
		det := cfg.Prometheus.Detection
		d.Profiles.Names, d.Profiles.Detected, d.Profiles.Problem = cfg.Prometheus.Profile, det.Detected, det.Problem
		if det.Problem != "" {
			d.problem("profiles: " + det.Problem + " — check that the server scrapes your model servers, or write prometheus.profile")
		}
	}
	for _, role := range config.KnownRoles() {
		if rc, ok := roleCheck(cfg, role, anyPresent); ok {
			d.Roles = append(d.Roles, rc)
		}
	}
}

// roleCheck is what fills role; false for a role no profile reads (the
// profile role, which is made from request_rate) unless a query sets it.
func roleCheck(cfg *config.Config, role string, anyPresent func([]string) bool) (RoleCheck, bool) {
	rc := RoleCheck{Role: role}
	if expr, ok := cfg.Prometheus.Queries[role]; ok {
		rc.Query, rc.Off = true, strings.TrimSpace(expr) == ""
		return rc, true
	}
	// The profiles whose query for the role is sent, as Queries renders
	// it: a rollout profile, and any profile after it, replaces the role.
	var chosen, others []RoleSource
	for _, name := range cfg.RoleProfiles()[role] {
		chosen = appendRole(chosen, name, role)
	}
	for _, name := range config.DetectionOrder() {
		if !slices.Contains(cfg.Prometheus.Profile, name) {
			others = appendRole(others, name, role)
		}
	}
	for _, name := range cfg.Prometheus.Profile {
		if !slices.ContainsFunc(chosen, func(s RoleSource) bool { return s.Profile == name }) &&
			len(appendRole(nil, name, role)) > 0 && !slices.Contains(rc.Replaced, name) {
			rc.Replaced = append(rc.Replaced, name)
		}
	}
	if len(chosen) == 0 && len(others) == 0 {
		return rc, false
	}
	for _, src := range chosen {
		if anyPresent(src.Metrics) {
			for _, m := range src.Metrics {
				if !anyPresent([]string{m}) {
					src.Absent = append(src.Absent, m)
				}
			}
			rc.FilledBy = append(rc.FilledBy, src)
		}
	}
	if len(rc.FilledBy) == 0 {
		rc.LookedFor = chosen
		if len(chosen) == 0 {
			rc.LookedFor = others // no profile read reads it: which would
		}
	}
	return rc, true
}

// appendRole adds profile's metrics for role, if it reads one.
func appendRole(to []RoleSource, profile, role string) []RoleSource {
	for _, rm := range config.ProfileRoles(profile) {
		if rm.Role == role {
			return append(to, RoleSource{Profile: profile, Metrics: rm.Metrics})
		}
	}
	return to
}
