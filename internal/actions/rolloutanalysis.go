package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// analysisRunObject is what the plan reads of an AnalysisRun
// (argoproj.io/v1alpha1): its phase and message, and each metric's phase,
// message and latest measurement.
type analysisRunObject struct {
	Status struct {
		Phase         string `json:"phase"`
		Message       string `json:"message"`
		MetricResults []struct {
			Name         string `json:"name"`
			Phase        string `json:"phase"`
			Message      string `json:"message"`
			Count        int    `json:"count"`
			Successful   int    `json:"successful"`
			Failed       int    `json:"failed"`
			Inconclusive int    `json:"inconclusive"`
			Error        int    `json:"error"`
			Measurements []struct {
				Value   string `json:"value"`
				Phase   string `json:"phase"`
				Message string `json:"message"`
			} `json:"measurements"`
		} `json:"metricResults"`
	} `json:"status"`
}

// readAnalysis reads the current step's analysis run, so that the plan
// shows what it measured and why it failed. It never stops the plan: a
// run that cannot be read says so in its line.
func (a *rolloutAdapter) readAnalysis(ctx context.Context, r *rolloutObject) []string {
	st := r.Status.Canary.CurrentStepAnalysisRunStatus
	if st == nil || st.Name == "" {
		return nil
	}
	path := "/apis/argoproj.io/v1alpha1/namespaces/" + url.PathEscape(r.Metadata.Namespace) + "/analysisruns/" + url.PathEscape(st.Name)
	b, err := a.api.do(ctx, "GET", path, "", nil)
	if err != nil {
		err = plainKubeError(err, "get", "analysisruns", r.Metadata.Namespace, st.Name)
		return []string{fmt.Sprintf("analysis %s %s: could not read it: %v", st.Name, or(st.Status, "(phase unknown)"), err)}
	}
	var run analysisRunObject
	if err := json.Unmarshal(b, &run); err != nil {
		return []string{fmt.Sprintf("analysis %s %s: could not read it: %v", st.Name, or(st.Status, "(phase unknown)"), err)}
	}
	return analysisLines(st.Name, run)
}

// analysisLines say a run in a line, then its message:
// "analysis judged-…-2-1 Failed: error-rate Failed (measured false); latency
// Successful (measured true)".
func analysisLines(name string, run analysisRunObject) []string {
	var metrics []string
	for _, m := range run.Status.MetricResults {
		s := m.Name + " " + or(m.Phase, "Pending")
		if n := len(m.Measurements); n > 0 {
			last := m.Measurements[n-1]
			switch {
			case last.Value != "":
				s += " (measured " + last.Value + ")"
			case last.Message != "":
				s += " (" + last.Message + ")"
			}
		}
		metrics = append(metrics, s)
	}
	line := fmt.Sprintf("analysis %s %s", name, or(run.Status.Phase, "Pending"))
	if len(metrics) > 0 {
		line += ": " + strings.Join(metrics, "; ")
	}
	out := []string{line}
	if msg := strings.TrimSpace(run.Status.Message); msg != "" {
		out = append(out, "analysis says: "+msg)
	}
	return out
}
