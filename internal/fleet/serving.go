package fleet

import "math"

// AliasBehind says when the registry's serving alias names a version that
// the traffic weights say gets no traffic, while another version does: a
// canary promoted to 100 % by the rollout controller leaves the alias on
// the old version until someone moves it. Served is the version with the
// most traffic and Weight its share in percent. ok is false when the alias
// is unknown, the weights are not reported, or the alias's version serves.
func (m *Model) AliasBehind(alias string) (named, served string, weight float64, ok bool) {
	if m == nil || alias == "" {
		return "", "", 0, false
	}
	named, ok = m.Aliases[alias]
	if !ok || named == "" {
		return "", "", 0, false
	}
	if v := m.Version(named); v != nil && v.TrafficWeight != nil && !(*v.TrafficWeight <= 0) {
		// Serves, or its weight is not a number: nothing to claim.
		return "", "", 0, false
	}
	best := -1.0
	for i := range m.Versions {
		v := &m.Versions[i]
		if v.Version == named || v.TrafficWeight == nil {
			continue
		}
		w := *v.TrafficWeight
		if math.IsNaN(w) || math.IsInf(w, 0) || w <= 0 {
			continue
		}
		if w > best || w == best && CompareVersions(v.Version, served) > 0 {
			best, served = w, v.Version
		}
	}
	if served == "" {
		return "", "", 0, false
	}
	return named, served, best, true
}

// Traffic is each version's share of traffic in percent, from the
// reported weights; nil when none is reported.
func (m *Model) Traffic() map[string]float64 {
	if m == nil {
		return nil
	}
	var out map[string]float64
	for i := range m.Versions {
		v := &m.Versions[i]
		if v.TrafficWeight == nil || math.IsNaN(*v.TrafficWeight) || math.IsInf(*v.TrafficWeight, 0) {
			continue
		}
		if out == nil {
			out = make(map[string]float64, len(m.Versions))
		}
		out[v.Version] = *v.TrafficWeight
	}
	return out
}
