package poll

import (
	"github.com/mltop/mltop/internal/fleet"
)

// joinRegistry attaches registry facts on (model, version). Models only in
// the registry are listed too; of their versions, only those holding an
// alias are: the rest is history, not the fleet.
func (b *builder) joinRegistry(reg *fleet.Registry) {
	for i := range reg.Models {
		rm := &reg.Models[i]
		if rm.Name == "" {
			continue
		}
		m := b.model(rm.Name)
		if m.registered != nil {
			continue // first record wins; a registry should not repeat a name
		}
		m.registered = rm
		m.aliases = make(map[string]string, len(rm.Aliases))
		for alias, ver := range rm.Aliases {
			m.aliases[alias] = ver
		}
		for j := range rm.Versions {
			for _, alias := range rm.Versions[j].Aliases {
				if _, ok := m.aliases[alias]; !ok {
					m.aliases[alias] = rm.Versions[j].Version
				}
			}
		}
		for _, ver := range m.aliases {
			if ver != "" {
				m.version(ver)
			}
		}
		seen := make(map[string]bool, len(rm.Versions))
		for j := range rm.Versions {
			rv := &rm.Versions[j]
			acc := m.versions[rv.Version]
			if acc == nil || seen[rv.Version] {
				continue
			}
			seen[rv.Version] = true
			acc.v.InRegistry = true
			acc.v.Baseline = copyFloats(rv.Baseline)
			acc.v.Lineage = copyLineage(rv.Lineage)
		}
	}
}

// copyLineage returns a fresh copy, or nil when the registry recorded nothing.
func copyLineage(l fleet.Lineage) *fleet.Lineage {
	if l == (fleet.Lineage{}) {
		return nil
	}
	if l.Dataset != nil {
		d := *l.Dataset
		l.Dataset = &d
	}
	return &l
}
