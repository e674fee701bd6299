package merge

import (
	"sort"

	"github.com/mltop/mltop/internal/fleet"
)

// TagServingName is the registered-model tag naming the model's label value
// in the metrics, when serving uses another name than the registry.
const TagServingName = "serving.prom_model_label"

// joinRegistry attaches registry facts on (model, version). A registered
// model joins the metrics' model of the same name, or the serving name the
// config or its tag gives (servingNames); it then takes the registered name
// and keeps the serving one in ServingName. Models only in the registry are
// listed too; of their versions, only those holding an alias are: the rest
// is history, not the fleet. Metrics models nothing joins stay as they are.
func (b *builder) joinRegistry(reg *fleet.Registry) {
	joins := servingNames(reg, b.cfg.ModelNames, func(name string) bool { return b.models[name] != nil })
	for i := range reg.Models {
		rm := &reg.Models[i]
		if rm.Name == "" {
			continue
		}
		if s, ok := joins[i]; ok && s != rm.Name {
			m := b.models[s]
			delete(b.models, s)
			m.name, m.servingAs = rm.Name, s
			b.models[rm.Name] = m
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

// servingNames decides which metrics model (by label value) each registered
// model joins, by index into reg.Models; a model absent from the result
// joins none. Each label joins at most one registered model and each
// registered model at most one label, in this order of precedence:
//
//  1. the label equal to the registered name: an exact match is never
//     overridden, so no two models can end up with the same name;
//  2. the label mapped to the registered name in the config (mapping is
//     serving name -> registered name);
//  3. the label named by the registered model's tag serving.prom_model_label,
//     first registered model (by name) first.
//
// inMetrics reports whether the metrics carry a label value.
func servingNames(reg *fleet.Registry, mapping map[string]string, inMetrics func(string) bool) map[int]string {
	out := make(map[int]string)
	claimed := map[string]bool{}
	index := make(map[string]int, len(reg.Models)) // registered name -> first index
	for i := range reg.Models {
		name := reg.Models[i].Name
		if _, dup := index[name]; name == "" || dup {
			continue
		}
		index[name] = i
		if inMetrics(name) {
			out[i], claimed[name] = name, true
		}
	}
	claim := func(label, registered string) {
		i, ok := index[registered]
		if !ok || label == "" || claimed[label] || !inMetrics(label) {
			return
		}
		if _, joined := out[i]; joined {
			return
		}
		out[i], claimed[label] = label, true
	}
	// Sorted, so that when two serving names map to one registered model
	// the outcome does not depend on map order (config forbids it anyway).
	labels := make([]string, 0, len(mapping))
	for label := range mapping {
		labels = append(labels, label)
	}
	sort.Strings(labels)
	for _, label := range labels {
		claim(label, mapping[label])
	}
	byName := make([]string, 0, len(index))
	for name := range index {
		byName = append(byName, name)
	}
	sort.Strings(byName)
	for _, name := range byName {
		claim(reg.Models[index[name]].Tags[TagServingName], name)
	}
	return out
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
