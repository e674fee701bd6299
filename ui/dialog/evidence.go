package dialog

import (
	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/fleet"
)

// evidenceLines are the canary's verdict under a rollout verb's plan: the
// operator sees whether the judge found the canary worse before deciding.
func (m *Model) evidenceLines() []string {
	th, g := m.c.Theme, m.c.Glyphs
	v := m.plan.Evidence
	mark, style := g.Unknown, th.Unknown
	if v != nil {
		switch v.Outcome {
		case fleet.VerdictPass:
			mark, style = g.OK, th.OK
		case fleet.VerdictFail:
			mark, style = g.Bad, th.Bad
		}
	}
	// EvidenceText cleans what came from the registry and the judge.
	return m.labelled("evidence", th.Muted, style.Render(mark)+" "+actions.EvidenceText(v), th.Text, 3)
}
