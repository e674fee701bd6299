package merge

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

const labelRun model.LabelName = "run"

// addAnalysis records an analysis_run or analysis_metric sample: 1 for
// the phase the run or metric is in (one-hot exporters also send 0 for
// the others, which say nothing).
func (m *modelAcc) addAnalysis(role fleet.Role, s *model.Sample) {
	run, phase := string(s.Metric[labelRun]), string(s.Metric[labelPhase])
	if v := float64(s.Value); run == "" || phase == "" || !known(v) || v <= 0 {
		return
	}
	if m.analysis == nil {
		m.analysis = map[string]*fleet.AnalysisRun{}
	}
	r := m.analysis[run]
	if r == nil {
		r = &fleet.AnalysisRun{Name: run}
		m.analysis[run] = r
	}
	if role == fleet.RoleAnalysisRun {
		r.Phase = worsePhase(r.Phase, phase)
		return
	}
	name := string(s.Metric[labelMetric])
	if name == "" {
		return
	}
	if i := slices.IndexFunc(r.Metrics, func(x fleet.AnalysisMetric) bool { return x.Name == name }); i >= 0 {
		r.Metrics[i].Phase = worsePhase(r.Metrics[i].Phase, phase)
		return
	}
	r.Metrics = append(r.Metrics, fleet.AnalysisMetric{Name: name, Phase: phase})
}

// phaseRank orders phases for two samples that disagree (two series of
// one run): the worse one is kept, never the reassuring one.
var phaseRank = map[string]int{
	fleet.AnalysisSuccessful: 1, fleet.AnalysisPending: 2, fleet.AnalysisRunning: 3,
	fleet.AnalysisInconclusive: 4, fleet.AnalysisError: 5, fleet.AnalysisFailed: 6,
}

func worsePhase(a, b string) string {
	if a == "" || phaseRank[b] > phaseRank[a] || phaseRank[b] == phaseRank[a] && b < a {
		return b
	}
	return a
}

// latestAnalysis is the runs of the rollout's latest revision, by name,
// their metrics by name. Runs of earlier revisions are the controller's
// history (it keeps a few): shown with the current ones they would
// count old failures against a new canary.
func (m *modelAcc) latestAnalysis() []fleet.AnalysisRun {
	latest := -1
	for name := range m.analysis {
		latest = max(latest, runRevision(m.name, name))
	}
	var out []fleet.AnalysisRun
	for name, r := range m.analysis {
		if runRevision(m.name, name) != latest {
			continue
		}
		run := *r
		run.Metrics = slices.Clone(r.Metrics)
		slices.SortFunc(run.Metrics, func(a, b fleet.AnalysisMetric) int { return cmp.Compare(a.Name, b.Name) })
		out = append(out, run)
	}
	slices.SortFunc(out, func(a, b fleet.AnalysisRun) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// runRevision reads the revision from a run named
// "<rollout>-<pod hash>-<revision>[-<step>|-pre|-post]"; -1 when the name
// is not of that form (a run named otherwise, from another convention).
func runRevision(rollout, run string) int {
	rest, ok := strings.CutPrefix(run, rollout+"-")
	if !ok {
		return -1
	}
	parts := strings.Split(rest, "-")
	if len(parts) < 2 || len(parts) > 3 {
		return -1
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil {
		return -1
	}
	return n
}
