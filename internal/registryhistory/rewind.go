package registryhistory

import (
	"maps"
	"slices"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// RegistryAt returns current (a registry read now) as it was at at: each
// alias and stage change seen after at is undone, newest first; versions
// the registry says were created after at are dropped, with the aliases
// still naming them, and so are models all of whose versions were.
//
// What cannot be rewound: tags, descriptions, baselines and lineage stay
// as they are now; versions and models deleted since at do not come back
// (the history keeps aliases and stages, not whole versions); a version
// whose creation time is unknown is kept; before the history began for a
// model (Began), its aliases and stages are those recording began with.
func (l *Log) RegistryAt(current fleet.Registry, at time.Time) (fleet.Registry, error) {
	after, err := l.Changes("", at.Add(time.Nanosecond))
	if err != nil {
		return fleet.Registry{}, err
	}
	out := fleet.Registry{Models: make([]fleet.RegisteredModel, 0, len(current.Models))}
	for _, m := range current.Models {
		if rm, ok := rewindModel(m, after, at); ok {
			out.Models = append(out.Models, rm)
		}
	}
	return out, nil
}

// rewindModel returns m as it was at at, and false when it did not exist.
func rewindModel(m fleet.RegisteredModel, after []fleet.RegistryChange, at time.Time) (fleet.RegisteredModel, bool) {
	aliases := maps.Clone(m.Aliases)
	if aliases == nil {
		aliases = map[string]string{}
	}
	stages := map[string]string{}
	for _, v := range m.Versions {
		stages[v.Version] = v.Lineage.Stage
	}
	for i := len(after) - 1; i >= 0; i-- {
		c := after[i]
		switch {
		case c.Model != m.Name:
		case c.Alias != "" && c.From == "":
			delete(aliases, c.Alias)
		case c.Alias != "":
			aliases[c.Alias] = c.From
		default:
			stages[c.Version] = c.From
		}
	}
	versions := make([]fleet.RegisteredVersion, 0, len(m.Versions))
	later := map[string]bool{}
	for _, v := range m.Versions {
		if !v.Lineage.CreatedAt.IsZero() && v.Lineage.CreatedAt.After(at) {
			later[v.Version] = true
			continue
		}
		v.Lineage.Stage = stages[v.Version]
		versions = append(versions, v)
	}
	if len(m.Versions) > 0 && len(versions) == 0 {
		return fleet.RegisteredModel{}, false
	}
	for a, v := range aliases {
		if later[v] {
			delete(aliases, a) // names a version not yet created
		}
	}
	for i := range versions {
		versions[i].Aliases = nil
		for a, v := range aliases {
			if v == versions[i].Version {
				versions[i].Aliases = append(versions[i].Aliases, a)
			}
		}
		slices.Sort(versions[i].Aliases)
	}
	m.Aliases, m.Versions = aliases, versions
	return m, true
}
