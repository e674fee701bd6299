package fleetscreen

import (
	"cmp"
	"strconv"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/themes"
)

// alertsCell is the bell with the model's firing alerts: "🔔2"; nothing
// when none fires; the unknown glyph when the alerts could not be read
// (never nothing, which would read as "no alerts").
func alertsCell(md *fleet.Model, g themes.Glyphs) cell {
	if md.Alerts == nil {
		return textCell(g.Unknown, toneUnknown)
	}
	n := md.FiringAlerts()
	if n == 0 {
		return cell{}
	}
	return textCell(g.Bell+strconv.Itoa(n), toneBad)
}

// alertsNeed is the width of a model's bell and count, the bell counted
// as two cells (its widest form).
func alertsNeed(md *fleet.Model) int {
	n := md.FiringAlerts()
	if n == 0 {
		return 1
	}
	return 2 + len(strconv.Itoa(n))
}

// byAlerts orders the most firing alerts first, unknown last, then by
// severity.
func byAlerts(a, b *entry) int {
	return cmp.Or(cmp.Compare(alertsKey(b.m), alertsKey(a.m)), bySeverity(a, b))
}

func alertsKey(md *fleet.Model) int {
	if md.Alerts == nil {
		return -1
	}
	return md.FiringAlerts()
}
