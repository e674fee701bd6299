package merge

import (
	"math"

	"github.com/mltop/mltop/internal/fleet"
)

// roleSet is a set of roles, by their index in fleet.AllRoles.
type roleSet uint64

var roleIndex = func() map[fleet.Role]uint {
	m := make(map[fleet.Role]uint, len(fleet.AllRoles))
	for i, r := range fleet.AllRoles {
		m[r] = uint(i)
	}
	return m
}()

func (s *roleSet) add(r fleet.Role) { *s |= 1 << roleIndex[r] }

func (s roleSet) has(r fleet.Role) bool { return s&(1<<roleIndex[r]) != 0 }

// roles lists the set in fleet.AllRoles order; nil when empty.
func (s roleSet) roles() []fleet.Role {
	if s == 0 {
		return nil
	}
	var out []fleet.Role
	for _, r := range fleet.AllRoles {
		if s.has(r) {
			out = append(out, r)
		}
	}
	return out
}

// summed roles are counts and rates: several series for one version (per
// pod, per route: an override query without sum by) add up.
var summed = map[fleet.Role]bool{fleet.RoleRequestRate: true, fleet.RoleLabelsInWindow: true}

// lowerIsWorse roles keep the smallest of several series; the others the
// largest, so that an ambiguous answer never hides a problem.
var lowerIsWorse = map[fleet.Role]bool{fleet.RoleLabeledFraction: true}

// combine folds a second series of a scalar role into the first: summed
// for counts and rates, else the worse of the two (and the version is
// marked, since which series is right cannot be told).
func combine(role fleet.Role, cur, next float64) float64 {
	switch {
	case summed[role]:
		return cur + next
	case lowerIsWorse[role]:
		return math.Min(cur, next)
	}
	return math.Max(cur, next)
}
