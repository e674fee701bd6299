package common

import (
	"strconv"

	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/themes"
)

// TrackOrder ranks a track for listing versions: stable first, then
// canary, then shadow, then the rest.
func TrackOrder(track string) int {
	switch track {
	case fleet.TrackStable:
		return 0
	case fleet.TrackCanary:
		return 1
	case fleet.TrackShadow:
		return 2
	}
	return 3
}

// VersionLess orders numeric versions numerically, others as strings.
func VersionLess(a, b string) bool {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	if errA == nil && errB == nil {
		return x < y
	}
	return a < b
}

// TrackStyle is the theme's style for a rollout track.
func TrackStyle(th *themes.Theme, track string) lipgloss.Style {
	switch track {
	case fleet.TrackStable:
		return th.Stable
	case fleet.TrackCanary:
		return th.Canary
	case fleet.TrackShadow:
		return th.Shadow
	}
	return th.Text
}
