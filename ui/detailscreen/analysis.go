package detailscreen

import (
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
)

// analysisLines list the rollout's analysis runs under its line, each
// with its phase and then every metric's: "analysis credit-risk-…-3-1
// ✖ Failed · error-rate ✖ Failed · latency-p95 ✔ Successful". Runs in
// shown were listed from the API, with more, and are skipped.
func (m *Model) analysisLines(r *fleet.Rollout, shown map[string]bool, width int) []string {
	th := m.c.Theme
	var out []string
	for _, run := range r.Analysis {
		if shown[run.Name] {
			continue
		}
		head := th.Muted.Render("analysis ") + th.Text.Render(termsafe.Clean(run.Name))
		if run.Phase != "" {
			head += " " + m.analysisPhase(run.Phase)
		}
		parts := []string{head}
		for _, x := range run.Metrics {
			parts = append(parts, th.Text.Render(termsafe.Clean(x.Name))+" "+m.analysisPhase(x.Phase))
		}
		out = append(out, wrapParts("", sectionLabelWidth, parts, m.sep(), width)...)
	}
	return out
}

// analysisPhase is a phase with its glyph: the glyph carries the outcome
// without colour.
func (m *Model) analysisPhase(phase string) string {
	th, g := m.c.Theme, m.c.Glyphs
	icon, st := g.Unknown, th.Unknown
	switch phase {
	case fleet.AnalysisSuccessful:
		icon, st = g.OK, th.OK
	case fleet.AnalysisFailed, fleet.AnalysisError:
		icon, st = g.Bad, th.Bad
	case fleet.AnalysisInconclusive:
		icon, st = g.Warn, th.Warn
	case fleet.AnalysisRunning, fleet.AnalysisPending:
		icon, st = g.Progressing, th.Progressing
	}
	return st.Render(icon + " " + termsafe.Clean(phase))
}

// inspectedRuns are the names of the runs the API listed.
func (m *Model) inspectedRuns() map[string]bool {
	if !m.insp.have || !m.insp.ins.Found || m.lookingBack() {
		return nil
	}
	names := map[string]bool{}
	for _, run := range m.insp.ins.Analysis {
		names[run.Name] = true
	}
	return names
}
