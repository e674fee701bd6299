package actions

import (
	"fmt"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
)

// Summary is why a model needs attention, as the dashboard saw it: sent with
// a retrain so that the pipeline (and whoever reads its run) knows what
// motivated it.
type Summary struct {
	Health   string   `json:"health"`             // ok, warn, critical, unknown
	Findings []string `json:"findings,omitempty"` // worst first
	// The worst-drifting input feature of the serving version.
	DriftFeature string   `json:"drift_feature,omitempty"`
	DriftMethod  string   `json:"drift_method,omitempty"`
	DriftScore   *float64 `json:"drift_score,omitempty"`
	// The headline quality metric, live and offline.
	Metric   string   `json:"metric,omitempty"`
	Quality  *float64 `json:"quality,omitempty"`
	Baseline *float64 `json:"baseline,omitempty"`
}

// maxFindings keeps the summary short enough for pipeline parameters.
const maxFindings = 5

// summarize reads the summary of version (the serving one) from a snapshot
// model; nil gives a summary with health "unknown".
func summarize(m *fleet.Model, version string) Summary {
	s := Summary{Health: fleet.StatusUnknown.String()}
	if m == nil {
		return s
	}
	s.Health = m.Health.Status.String()
	for _, f := range m.Health.Findings {
		if len(s.Findings) == maxFindings {
			break
		}
		msg := f.Message
		if f.Version != "" {
			msg = "v" + f.Version + ": " + msg
		}
		s.Findings = append(s.Findings, msg)
	}
	v := m.Version(version)
	if v == nil {
		return s
	}
	if d := v.Drift; d != nil && d.Score != nil {
		s.DriftFeature, s.DriftMethod = d.Feature, d.Method
		score := *d.Score
		s.DriftScore = &score
	}
	s.Metric, s.Quality, s.Baseline = v.PrimaryMetric()
	return s
}

// Text is the summary in one line: "critical; v8: error rate 7% ≥ 5%;
// drift psi 0.31 on tenure; auc 0.81 vs 0.88 offline".
func (s Summary) Text() string {
	parts := []string{s.Health}
	parts = append(parts, s.Findings...)
	if s.DriftScore != nil {
		parts = append(parts, fmt.Sprintf("drift %s %.3g on %s", s.DriftMethod, *s.DriftScore, s.DriftFeature))
	}
	if s.Metric != "" && s.Quality != nil {
		q := fmt.Sprintf("%s %.3g", s.Metric, *s.Quality)
		if s.Baseline != nil {
			q += fmt.Sprintf(" vs %.3g offline", *s.Baseline)
		}
		parts = append(parts, q)
	}
	return strings.Join(parts, "; ")
}
