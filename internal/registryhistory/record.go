package registryhistory

import (
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// kind says what one line of the file is.
type kind string

const (
	// kindState is a model (or a new version's stage) as mltop first saw
	// it: the base later changes apply to, not a change itself.
	kindState kind = "state"
	kindAlias kind = "alias" // an alias moved, was created (from "") or removed (to "")
	kindStage kind = "stage" // a version's stage changed
)

// record is one line of the file.
type record struct {
	Time    time.Time         `json:"time"`
	Kind    kind              `json:"kind"`
	Model   string            `json:"model"`
	Alias   string            `json:"alias,omitempty"`
	Version string            `json:"version,omitempty"`
	From    string            `json:"from,omitempty"`
	To      string            `json:"to,omitempty"`
	Aliases map[string]string `json:"aliases,omitempty"` // kindState: alias -> version
	Stages  map[string]string `json:"stages,omitempty"`  // kindState: version -> stage
}

func (r record) valid() bool {
	switch {
	case r.Time.IsZero() || r.Model == "":
		return false
	case r.Kind == kindState:
		return true
	case r.Kind == kindAlias:
		return r.Alias != "" && r.From != r.To
	case r.Kind == kindStage:
		return r.Version != "" && r.From != r.To
	}
	return false
}

func (r record) change() fleet.RegistryChange {
	c := fleet.RegistryChange{Time: r.Time, Model: r.Model, From: r.From, To: r.To}
	if r.Kind == kindAlias {
		c.Alias = r.Alias
	} else {
		c.Version = r.Version
	}
	return c
}

// modelState is the last known aliases and stages of one model, with when
// each was last written, so that a record older than what is known (from
// a process whose read was older) does not undo it.
type modelState struct {
	began     time.Time
	aliases   map[string]string
	stages    map[string]string
	aliasTime map[string]time.Time
	stageTime map[string]time.Time
}

func newModelState(at time.Time) *modelState {
	return &modelState{began: at, aliases: map[string]string{}, stages: map[string]string{},
		aliasTime: map[string]time.Time{}, stageTime: map[string]time.Time{}}
}

// state is what the file says, replayed.
type state struct {
	models  map[string]*modelState
	changes []fleet.RegistryChange // in file order, duplicates and stale records left out
	torn    int
}

// apply replays one record. A change is left out when what it moves to is
// already known (two processes recorded the same move) or when a newer
// record of the same alias or stage is already known (it came from an
// older read).
func (s *state) apply(r record) {
	m := s.models[r.Model]
	if m == nil {
		m = newModelState(r.Time)
		s.models[r.Model] = m
	}
	if r.Kind == kindState {
		// A base fills only what is not known yet: a version first seen, or
		// a model two processes both saw first (the first base stands).
		for a, v := range r.Aliases {
			if _, ok := m.aliases[a]; !ok {
				m.aliases[a], m.aliasTime[a] = v, r.Time
			}
		}
		for v, st := range r.Stages {
			if _, ok := m.stages[v]; !ok {
				m.stages[v], m.stageTime[v] = st, r.Time
			}
		}
		return
	}
	values, times, key := m.aliases, m.aliasTime, r.Alias
	if r.Kind == kindStage {
		values, times, key = m.stages, m.stageTime, r.Version
	}
	if values[key] == r.To || r.Time.Before(times[key]) {
		return
	}
	if r.To == "" {
		delete(values, key)
	} else {
		values[key] = r.To
	}
	times[key] = r.Time
	s.changes = append(s.changes, r.change())
}
