package registryhistory

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// RegistryAt returns the registry as it was at at, and notes that say
// where it may not be. A model the history knows starts from the history's
// own last known aliases and stages, not from current's: those were true
// up to mltop's last read, while current (a read not recorded, one whose
// recording failed, or one after changes made while mltop was down) may
// hold changes whose time is unknown; where current differs, a note says
// so. Each change seen after at is then undone, newest first. Versions the
// registry says were created after at are dropped, with the aliases still
// naming them, and so are models all of whose versions were.
//
// What cannot be rewound: tags, descriptions, baselines and lineage stay
// as they are now; versions and models deleted since at do not come back
// (the history keeps aliases and stages, not whole versions); a version
// whose creation time is unknown is kept; before the history began for a
// model (Began), its aliases and stages are those recording began with,
// and a note says so; a model the history never saw keeps today's.
func (l *Log) RegistryAt(current fleet.Registry, at time.Time) (fleet.Registry, []string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.catchUp(); err != nil {
		return fleet.Registry{}, nil, err
	}
	// One pass over the changes, grouped by model: rewinding costs the
	// changes plus the models, not their product.
	after := map[string][]fleet.RegistryChange{}
	for _, c := range l.st.changes {
		if c.Time.After(at) {
			after[c.Model] = append(after[c.Model], c)
		}
	}
	notes := noteSet{}
	out := fleet.Registry{Models: make([]fleet.RegisteredModel, 0, len(current.Models))}
	for _, m := range current.Models {
		known := l.st.models[m.Name]
		cs := after[m.Name]
		slices.SortStableFunc(cs, func(a, b fleet.RegistryChange) int { return a.Time.Compare(b.Time) })
		rm, ok := rewindModel(m, known, cs, at)
		if !ok {
			continue // not created yet: nothing to say of it
		}
		out.Models = append(out.Models, rm)
		switch {
		case known == nil:
			notes.add("registry history has no record of ", m.Name, ": aliases and stages are today's")
			continue
		case at.Before(known.began):
			notes.add("registry history for ", m.Name, " began at "+known.began.UTC().Format(time.RFC3339)+
				": aliases then are as recording began")
		}
		if d := differences(known, m); d != "" {
			notes.add("the registry now differs from what mltop last recorded for ", m.Name, " ("+d+
				"): changed while mltop was not recording it, when is not known; shown as last recorded")
		}
	}
	return out, notes.list(), nil
}

// differences says, briefly, how m (read now) differs from the history's
// last known state of it: "champion 1 → 2, v3 Staging → Production".
func differences(known *modelState, m fleet.RegisteredModel) string {
	var out []string
	names := slices.Sorted(maps.Keys(known.aliases))
	for a := range m.Aliases {
		if _, ok := known.aliases[a]; !ok {
			names = append(names, a)
		}
	}
	for _, a := range names {
		if from, to := known.aliases[a], m.Aliases[a]; from != to {
			out = append(out, fmt.Sprintf("%s %s → %s", a, or(from, "none"), or(to, "none")))
		}
	}
	for _, v := range m.Versions {
		from, ok := known.stages[v.Version]
		if to := v.Lineage.Stage; ok && to != "" && from != to {
			out = append(out, fmt.Sprintf("v%s %s → %s", v.Version, from, to))
		}
	}
	if len(out) > 3 {
		out = append(out[:3:3], fmt.Sprintf("%d more", len(out)-3))
	}
	return strings.Join(out, ", ")
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// rewindModel returns m as it was at at, from the history's last known
// state of it (known; nil: m's own), and false when it did not exist.
// after are m's changes after at, oldest first.
func rewindModel(m fleet.RegisteredModel, known *modelState, after []fleet.RegistryChange, at time.Time) (fleet.RegisteredModel, bool) {
	stages := map[string]string{}
	for _, v := range m.Versions {
		stages[v.Version] = v.Lineage.Stage
	}
	aliases := maps.Clone(m.Aliases)
	if known != nil {
		aliases = maps.Clone(known.aliases)
		maps.Copy(stages, known.stages)
	}
	if aliases == nil {
		aliases = map[string]string{}
	}
	for i := len(after) - 1; i >= 0; i-- {
		c := after[i]
		switch {
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

// noteSet gathers notes that differ only by the model they name, so that
// a thousand models whose history began together make one note.
type noteSet map[[2]string][]string

// add keeps the note before + model + after.
func (n noteSet) add(before, model, after string) {
	k := [2]string{before, after}
	n[k] = append(n[k], model)
}

// maxNamed bounds the models one note names.
const maxNamed = 5

func (n noteSet) list() []string {
	out := make([]string, 0, len(n))
	for k, models := range n {
		named := strings.Join(models[:min(len(models), maxNamed)], ", ")
		if len(models) > maxNamed {
			named += fmt.Sprintf(" and %d more", len(models)-maxNamed)
		}
		out = append(out, k[0]+named+k[1])
	}
	slices.Sort(out)
	return out
}
