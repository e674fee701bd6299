package actions

import (
	"fmt"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/human"
)

// The Alertmanager actions: a silence on a model's alerts, and expiring one
// early. They are offered whenever alertmanager.url is set, with no key of
// their own under actions, and go through the same plan, roles, two-person
// rule and audit log as every other action.
const (
	Silence   = "silence"
	Unsilence = "unsilence"

	kindAlertmanager = "alertmanager"
)

// A silence lasts at least MinSilence, so that it is not over before
// Alertmanager has applied it, and at most MaxSilence: longer hides a real
// outage for days; silence again when it ends.
const (
	MinSilence     = time.Minute
	MaxSilence     = 7 * 24 * time.Hour
	DefaultSilence = 2 * time.Hour
)

// SilenceDurations are the dashboard's choices, DefaultSilence among them.
var SilenceDurations = []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 24 * time.Hour}

// NoAlertmanager is why the silence actions are not offered.
const NoAlertmanager = "no Alertmanager is configured: set alertmanager.url in the config file (see docs/alerting.md)"

// silenceSpecs are the two actions, Missing when no Alertmanager is set:
// still listed, so the dashboard greys the key with why.
func silenceSpecs(am config.Alertmanager) []Spec {
	cfg := config.Action{URL: am.URL, Headers: am.Headers, TokenFile: am.BearerTokenFile, Timeout: am.Timeout}
	missing := ""
	if strings.TrimSpace(am.URL) == "" {
		missing = NoAlertmanager
	}
	return []Spec{
		{Action: Silence, Key: "M", Title: "Silence alerts", Kind: kindAlertmanager, Role: config.RoleOperator, Missing: missing, cfg: cfg},
		{Action: Unsilence, Title: "Expire silence", Kind: kindAlertmanager, Role: config.RoleOperator, Missing: missing, cfg: cfg},
	}
}

// silenceRefusal says why a silence of d may not be sent: its length.
func silenceRefusal(d time.Duration) string {
	switch {
	case d <= 0:
		return "say how long the silence lasts (--for 2h)"
	case d < MinSilence:
		return fmt.Sprintf("a silence lasts at least %s (it could end before Alertmanager applies it); %s is shorter",
			human.Duration(MinSilence), d)
	case d > MaxSilence:
		return fmt.Sprintf("a silence lasts at most 7 days (longer would hide a real outage for days; silence again when it ends); %s is longer",
			DurationText(d))
	}
	return ""
}

// DurationText is a silence's length as people write it: 2h, 90m, 3d.
func DurationText(d time.Duration) string {
	if d >= 48*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	s := d.String() // 2h0m0s, 1h30m0s, 45s
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// ParseSilenceDuration reads --for: a Go duration (90m, 2h) or days (3d).
func ParseSilenceDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(strings.TrimSpace(s), "d"); ok {
		var n int
		if _, err := fmt.Sscanf(days, "%d", &n); err == nil && fmt.Sprint(n) == days {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("want a duration such as 30m, 2h or 3d, got %q", s)
	}
	return d, nil
}

// CreatedBy is who a silence names as its author: the user, and under
// `mltop serve` the SSH key's fingerprint ("ana (SHA256:…)").
func CreatedBy(a Actor) string {
	who := a.User
	if who == "" {
		who = "mltop"
	}
	if a.KeyFingerprint != "" {
		who += " (" + a.KeyFingerprint + ")"
	}
	return who
}
