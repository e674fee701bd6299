package alertscreen

import (
	"maps"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
)

// row is one alert and the model it is attached to ("" for none).
type row struct {
	alert fleet.Alert
	model string // the model's registered name, raw
	key   string // identifies the alert across snapshots
}

// buildRows lists the alerts of model ("" = every model, and those
// attached to none), firing first.
func buildRows(s *fleet.Snapshot, model string) []row {
	if s == nil || s.Alerts == nil {
		return nil
	}
	var out []row
	for i := range s.Models {
		md := &s.Models[i]
		if model != "" && md.Name != model {
			continue
		}
		for _, a := range md.Alerts {
			out = append(out, row{alert: a, model: md.Name})
		}
	}
	if model == "" {
		for _, a := range s.Alerts.Unattached {
			out = append(out, row{alert: a})
		}
	}
	slices.SortStableFunc(out, func(a, b row) int { return fleet.CompareAlerts(a.alert, b.alert) })
	for i := range out {
		out[i].key = alertKey(out[i].alert)
	}
	return out
}

// alertKey identifies an alert by its labels, as Prometheus does.
func alertKey(a fleet.Alert) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(a.Labels)) {
		b.WriteString(k + "=" + a.Labels[k] + "\x00")
	}
	return a.Name + "\x00" + a.Model + "\x00" + a.Version + "\x00" + b.String()
}

// stateLook is a state's glyph, word and style: the glyph and word say it
// without colour.
func stateLook(th *themes.Theme, g themes.Glyphs, a fleet.Alert) (string, string, lipgloss.Style) {
	switch a.State {
	case fleet.AlertFiring:
		return g.Bad, "firing", th.Bad
	case fleet.AlertPending:
		return g.Progressing, "pending", th.Warn
	case fleet.AlertSuppressed:
		if len(a.SilencedBy) > 0 {
			return g.Paused, "silenced", th.Paused
		}
		return g.Paused, "inhibited", th.Paused
	}
	return g.Unknown, termsafe.Clean(a.State), th.Unknown
}

// where is the alert's model and version as shown: "payments-fraud v8",
// "—" when attached to no model.
func where(r row) string {
	name := r.model
	if name == "" {
		name = r.alert.Model
	}
	if name == "" {
		return "—"
	}
	out := termsafe.Clean(name)
	if v := r.alert.Version; v != "" {
		out += " v" + termsafe.Clean(v)
	}
	return out
}

// since is the alert's age: "12m"; "—" when not said.
func since(a fleet.Alert, now time.Time) string {
	if a.Since.IsZero() {
		return "—"
	}
	return human.Duration(max(now.Sub(a.Since), 0))
}
