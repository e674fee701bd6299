package fleetscreen

import (
	"fmt"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/themes"
)

// analysisCounts counts the metrics of a rollout's analysis runs by
// outcome: passed, failed (Failed or Error), inconclusive, still running
// (Running or Pending).
type analysisCounts struct{ ok, bad, inconclusive, running int }

func countAnalysis(r *fleet.Rollout) (c analysisCounts, any bool) {
	for _, run := range r.Analysis {
		phases := make([]string, 0, len(run.Metrics))
		for _, m := range run.Metrics {
			phases = append(phases, m.Phase)
		}
		if len(phases) == 0 && run.Phase != "" {
			phases = append(phases, run.Phase) // a run seen without its metrics
		}
		for _, p := range phases {
			any = true
			switch p {
			case fleet.AnalysisSuccessful:
				c.ok++
			case fleet.AnalysisFailed, fleet.AnalysisError:
				c.bad++
			case fleet.AnalysisInconclusive:
				c.inconclusive++
			default:
				c.running++
			}
		}
	}
	return c, any
}

// analysisWidth is how wide addAnalysis draws counts (every glyph is one
// cell wide).
func analysisWidth(a analysisCounts) int {
	var c cell
	addAnalysis(&c, a, themes.ASCII)
	return c.width()
}

// addAnalysis appends " analysis ✔2 ✖1": the word always, so that the
// check reads as the analysis's, never as the model's health.
func addAnalysis(c *cell, a analysisCounts, g themes.Glyphs) {
	c.add(" analysis", toneMuted)
	for _, p := range []struct {
		n    int
		icon string
		tn   tone
	}{{a.ok, g.OK, toneOK}, {a.bad, g.Bad, toneBad}, {a.inconclusive, g.Warn, toneWarn}, {a.running, g.Progressing, toneProgressing}} {
		if p.n > 0 {
			c.add(fmt.Sprintf(" %s%d", p.icon, p.n), p.tn)
		}
	}
}
