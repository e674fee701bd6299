package common

import (
	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/themes"
)

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
