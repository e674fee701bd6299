package merge

import (
	"strings"

	"github.com/mltop/mltop/internal/fleet"
)

func normTrack(t string) string { return strings.ToLower(strings.TrimSpace(t)) }

// rollout builds a model's rollout from rollout_* samples and the versions'
// traffic weights; nil when the metrics say nothing about either.
func (b *builder) rollout(m *modelAcc) *fleet.Rollout {
	weighted := false
	for _, v := range m.versions {
		weighted = weighted || v.weighted
	}
	if m.info == nil && !weighted && m.step == nil && m.steps == nil && m.setWeight == nil {
		return nil
	}
	r := &fleet.Rollout{Step: m.step, Steps: m.steps, SetWeight: m.setWeight}
	if m.info != nil {
		r.Phase = m.info.phase
		r.Strategy = m.info.strategy
	}
	r.Analysis = m.latestAnalysis()
	var stable, canary, shadow *fleet.Version
	for _, acc := range m.versions {
		v := &acc.v
		if v.TrafficWeight != nil {
			if r.Weights == nil {
				r.Weights = make(map[string]float64, len(m.versions))
			}
			r.Weights[v.Version] = *v.TrafficWeight
		}
		switch v.Track {
		case fleet.TrackStable:
			stable = heavier(stable, v)
		case fleet.TrackCanary:
			canary = heavier(canary, v)
		case fleet.TrackShadow:
			shadow = heavier(shadow, v)
		}
	}
	if stable != nil {
		r.Stable = stable.Version
	}
	// A shadow rollout's candidate is the shadowed version.
	if canary == nil {
		canary = shadow
	}
	if canary != nil {
		r.Candidate = canary.Version
	}
	return r
}

// heavier picks the version with more traffic (unknown counts as least),
// then the newer version, so the pick does not depend on map order.
func heavier(cur, v *fleet.Version) *fleet.Version {
	if cur == nil {
		return v
	}
	cw, vw := weightOf(cur), weightOf(v)
	if vw != cw {
		if vw > cw {
			return v
		}
		return cur
	}
	if fleet.CompareVersions(v.Version, cur.Version) > 0 {
		return v
	}
	return cur
}

func weightOf(v *fleet.Version) float64 {
	if v.TrafficWeight == nil {
		return -1
	}
	return *v.TrafficWeight
}

// tracksFromAliases gives serving versions a track from registry aliases
// when the metrics carry no traffic split: the serving alias is the stable
// version, the candidate alias a canary. Versions that do not serve keep "".
func (b *builder) tracksFromAliases(m *fleet.Model) {
	if m.Aliases == nil {
		return
	}
	assign := func(alias, track string) {
		if alias == "" {
			return
		}
		ver, ok := m.Aliases[alias]
		if !ok {
			return
		}
		if v := m.Version(ver); v != nil && v.Serving && v.Track == "" {
			v.Track = track
		}
	}
	assign(b.cfg.ServingAlias, fleet.TrackStable)
	assign(b.cfg.CandidateAlias, fleet.TrackCanary)
}
