package uitest

import "github.com/mltop/mltop/internal/fleet"

// AnalysisSnapshot is Snapshot with credit-risk's canary, paused at step
// 2/4, under analysis: the step's run failed on its error rate while its
// latency passed, and the background run's verdict metric still runs.
func AnalysisSnapshot() fleet.Snapshot {
	s := Snapshot()
	for idx := range s.Models {
		m := &s.Models[idx]
		if m.Name != "credit-risk" {
			continue
		}
		r := *m.Rollout
		r.Analysis = []fleet.AnalysisRun{
			{Name: "credit-risk-6d4b8c9f7-3", Phase: fleet.AnalysisRunning, Metrics: []fleet.AnalysisMetric{
				{Name: "verdict", Phase: fleet.AnalysisRunning}}},
			{Name: "credit-risk-6d4b8c9f7-3-1", Phase: fleet.AnalysisFailed, Metrics: []fleet.AnalysisMetric{
				{Name: "error-rate", Phase: fleet.AnalysisFailed}, {Name: "latency-p95", Phase: fleet.AnalysisSuccessful},
				{Name: "success-count", Phase: fleet.AnalysisSuccessful}}},
		}
		m.Rollout = &r
	}
	return s
}
