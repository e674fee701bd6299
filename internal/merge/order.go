package merge

import (
	"sort"

	"github.com/mltop/mltop/internal/fleet"
)

// sortVersions orders stable, canary, shadow, then the rest; newest first
// within each.
func sortVersions(vs []fleet.Version) {
	sort.Slice(vs, func(i, j int) bool {
		ri, rj := fleet.TrackRank(vs[i].Track), fleet.TrackRank(vs[j].Track)
		if ri != rj {
			return ri < rj
		}
		return fleet.CompareVersions(vs[i].Version, vs[j].Version) > 0
	})
}
