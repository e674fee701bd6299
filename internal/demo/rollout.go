package demo

import "time"

// Rollout phases and tracks, in Argo Rollouts' and the spec's vocabulary.
const (
	phaseHealthy     = "Healthy"
	phaseProgressing = "Progressing"
	phasePaused      = "Paused"

	trackStable = "stable"
	trackCanary = "canary"
	trackShadow = "shadow"
)

// canaryWeights are the setWeight steps of every canary in the demo, each
// followed by a pause except the last (Argo: setWeight 10, pause 4h, ...).
var canaryWeights = []float64{10, 25, 50, 100}

const (
	canaryProgress = 10 * time.Minute // analysis and scaling after each setWeight
	canaryPause    = 4 * time.Hour    // long enough at 60x to watch each step (4 real minutes)
)

type rolloutState struct {
	strategy string
	phase    string
	canary   *canaryState // nil when no canary is running
}

type canaryState struct {
	version int
	step    int           // 1-based index into canaryWeights
	since   time.Duration // story offset at which the step started
}

// progressRollout moves a running canary through its steps; when the last
// step is done the canary becomes the stable version. The registry's
// champion alias is left alone: a rollout is not a registry change.
func (m *simModel) progressRollout(s time.Duration) {
	r := m.rollout
	if r == nil || r.canary == nil {
		m.applyWeights(s)
		return
	}
	for c := r.canary; ; {
		in := s - c.since
		if in < canaryProgress {
			r.phase = phaseProgressing
			break
		}
		if c.step >= len(canaryWeights) {
			m.promote(c.version, s)
			return
		}
		if in < canaryProgress+canaryPause {
			r.phase = phasePaused
			break
		}
		c.since += canaryProgress + canaryPause
		c.step++
	}
	m.applyWeights(s)
}

// applyWeights sets every version's track and traffic weight from the
// stable, canary and shadow choices.
func (m *simModel) applyWeights(s time.Duration) {
	canary, cw := 0, 0.0
	if r := m.rollout; r != nil && r.canary != nil {
		canary, cw = r.canary.version, canaryWeights[r.canary.step-1]
	}
	m.ensure(m.stable, s)
	if canary != 0 {
		m.ensure(canary, s)
	}
	if m.shadow != 0 {
		m.ensure(m.shadow, s)
	}
	for n, v := range m.versions {
		switch n {
		case canary:
			v.track, v.weight = trackCanary, cw
		case m.stable:
			v.track, v.weight = trackStable, 100-cw
		case m.shadow:
			v.track, v.weight = trackShadow, 0
		default:
			v.track, v.weight = "", 0
			clear(v.drift) // the drift job only scores serving versions
		}
	}
}

// promote ends a canary with its version as the stable one.
func (m *simModel) promote(n int, s time.Duration) {
	m.stable = n
	if m.shadow == n {
		m.shadow = 0
	}
	if m.rollout != nil {
		m.rollout.canary = nil
		m.rollout.phase = phaseHealthy
	}
	m.applyWeights(s)
}

// rollTo makes version n the stable one at once, as a deployment controller
// following the registry's champion does. A canary of another version keeps
// running; rolling to the canary's own version promotes it.
func (m *simModel) rollTo(n int, s time.Duration) {
	if n == m.stable {
		return
	}
	if r := m.rollout; r != nil && r.canary != nil && r.canary.version == n {
		m.promote(n, s)
		return
	}
	m.stable = n
	if m.shadow == n {
		m.shadow = 0
	}
	m.applyWeights(s)
}

// startCanary begins a canary of version n at step 1. A canary already in
// progress is replaced, as Argo Rollouts does when the spec changes
// mid-rollout: the old canary stops serving, the stable is untouched.
func (m *simModel) startCanary(n int, s time.Duration) {
	if m.rollout == nil {
		m.rollout = &rolloutState{}
	}
	m.rollout.strategy = "canary"
	m.rollout.phase = phaseProgressing
	m.rollout.canary = &canaryState{version: n, step: 1, since: s}
	if m.shadow == n {
		m.shadow = 0
	}
	m.applyWeights(s)
}
