package dialog

import (
	"slices"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/termsafe"
)

// The picker chooses a rollback's version, or how long a silence lasts
// (SilenceDurations, 2h unless the request said otherwise). Either choice
// asks for a new plan.

func (m *Model) isSilence() bool { return m.plan.Action == actions.Silence }

func (m *Model) hasPicker() bool {
	return m.isSilence() || m.plan.Action == actions.Rollback && len(m.plan.Candidates) > 0
}

// choiceLabels are the picker's words: "v7", or "2h".
func (m *Model) choiceLabels() []string {
	if m.isSilence() {
		out := make([]string, len(actions.SilenceDurations))
		for i, d := range actions.SilenceDurations {
			out[i] = actions.DurationText(d)
		}
		return out
	}
	out := make([]string, len(m.plan.Candidates))
	for i, c := range m.plan.Candidates {
		out[i] = "v" + termsafe.Clean(c.Version)
	}
	return out
}

// chosenLabel is the choice in words, for "wait for the plan of …".
func (m *Model) chosenLabel() string {
	if m.isSilence() {
		return actions.DurationText(m.req.For)
	}
	return "v" + termsafe.Clean(m.chosen())
}

// silencePick is the index of the request's length, else of the default.
func (m *Model) silencePick() int {
	if m.req.For <= 0 {
		m.req.For = actions.DefaultSilence
	}
	if i := slices.Index(actions.SilenceDurations, m.req.For); i >= 0 {
		return i
	}
	m.req.For = actions.DefaultSilence
	return slices.Index(actions.SilenceDurations, actions.DefaultSilence)
}

// current reports whether a plan was made for the choice shown now.
func (m *Model) current(req actions.Request) bool {
	if m.isSilence() {
		return req.For == m.req.For
	}
	return req.To == m.chosen()
}

// sendsSummary: only a retrain or a custom action carries the model's
// summary; a rollback, a patch or a silence does not.
func sendsSummary(action string) bool {
	return action != actions.Rollback && !actions.IsRolloutVerb(action) && action != actions.Silence && action != actions.Unsilence
}
