package report

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
)

// VerdictDoc is a verdict as JSON: what `mltop verdict --format json`
// prints and GET /v1/verdict answers (docs/verdict.md). Numbers that are
// unknown are null, never 0.
type VerdictDoc struct {
	Model     string `json:"model"`
	Candidate string `json:"candidate"`
	Baseline  string `json:"baseline"`
	// Outcome is pass, fail or not_enough_data.
	Outcome       string          `json:"outcome"`
	Why           string          `json:"why"`
	WindowSeconds float64         `json:"window_seconds"`
	TakenAt       string          `json:"taken_at"`
	Rows          []VerdictRowDoc `json:"rows"`
	// Failures are the metric sources, and the queries a row rests on,
	// that did not answer: with any, a pass becomes not_enough_data.
	Failures []Failure `json:"failures"`
}

// VerdictRowDoc is one quantity compared.
type VerdictRowDoc struct {
	Quantity         string      `json:"quantity"`
	Method           string      `json:"method"`
	Candidate        *float64    `json:"candidate"`
	Baseline         *float64    `json:"baseline"`
	CandidateSamples *float64    `json:"candidate_samples"`
	BaselineSamples  *float64    `json:"baseline_samples"`
	Comparison       string      `json:"comparison"` // better, worse, same, unknown
	PValue           *float64    `json:"p_value"`
	Interval         *[2]float64 `json:"interval"`
	NeedMore         string      `json:"need_more"`
	Why              string      `json:"why"`
}

// VerdictCode is a verdict's exit code: 0 pass (the candidate is not
// worse), 1 fail (significantly worse), 2 not enough data.
func VerdictCode(outcome string) int {
	switch fleet.VerdictOutcome(outcome) {
	case fleet.VerdictPass:
		return 0
	case fleet.VerdictFail:
		return 1
	}
	return 2
}

// VerdictJudge compares the candidate of a snapshot's model with its
// baseline; candidate "" is the model's own canary, shadow or challenger
// (judge.Config.SnapshotVerdict).
type VerdictJudge func(s *fleet.Snapshot, model, candidate string) fleet.Verdict

// UnknownError is a model or version the snapshot does not have, with the
// names nearest to it.
type UnknownError struct {
	What, Name string // "model" or "version", and the name asked for
	Model      string // the model, for a version
	// Near are the closest known names (did you mean), Known all of them.
	Near, Known []string
	// NoCandidate: the model was found but has no version to compare.
	NoCandidate bool
}

func (e *UnknownError) Error() string {
	var msg string
	switch {
	case e.NoCandidate:
		msg = fmt.Sprintf("model %q has no candidate version (no canary, shadow or challenger); name the version to compare", e.Model)
	case e.What == "version":
		msg = fmt.Sprintf("model %q has no version %q", e.Model, e.Name)
	default:
		msg = fmt.Sprintf("no model %q in the snapshot", e.Name)
	}
	switch {
	case len(e.Near) > 0:
		msg += "; did you mean " + strings.Join(e.Near, ", ") + "?"
	case len(e.Known) > 0 && len(e.Known) <= 10:
		msg += " (known: " + strings.Join(e.Known, ", ") + ")"
	}
	return msg
}

// FindModel is the model named model (its registered or its metrics
// name), or an *UnknownError naming the closest ones.
func FindModel(s fleet.Snapshot, model string) (*fleet.Model, error) {
	var names []string
	for i := range s.Models {
		m := &s.Models[i]
		if m.Name == model || m.MetricsName() == model {
			return m, nil
		}
		names = append(names, m.Name)
	}
	slices.Sort(names)
	return nil, &UnknownError{What: "model", Name: model, Near: human.ClosestNames(model, names, 3), Known: names}
}

// JudgeVerdict finds the model and candidate in s and judges them. The
// error is an *UnknownError when either is not there. A pass is only
// given on a complete picture: when a metric source or a query that a
// row rests on failed, or the wait ended before rates filled (in), it
// becomes not_enough_data and says why. Stale figures are the judge's
// to weigh (they are not_enough_data whatever they show).
func JudgeVerdict(s fleet.Snapshot, in CheckInput, model, candidate string, judge VerdictJudge) (VerdictDoc, error) {
	m, err := FindModel(s, model)
	if err != nil {
		return VerdictDoc{}, err
	}
	if candidate != "" && m.Version(candidate) == nil {
		var names []string
		for _, v := range m.Versions {
			names = append(names, v.Version)
		}
		return VerdictDoc{}, &UnknownError{What: "version", Name: candidate, Model: m.Name, Near: human.ClosestNames(candidate, names, 3), Known: names}
	}
	v := judge(&s, m.Name, candidate)
	if v.Candidate == "" {
		return VerdictDoc{}, &UnknownError{What: "version", Model: m.Name, NoCandidate: true}
	}
	doc := verdictDoc(v, s.TakenAt)
	doc.Failures = verdictFailures(s)
	if fleet.VerdictOutcome(doc.Outcome) != fleet.VerdictPass {
		return doc, nil
	}
	var doubts []string
	if n := len(doc.Failures); n > 0 {
		f := doc.Failures[0]
		what := f.Source
		if f.Query != "" {
			what += " query " + f.Query
		}
		doubts = append(doubts, fmt.Sprintf("%s failed (%s)", what, f.Error))
		if n > 1 {
			doubts[0] += fmt.Sprintf(" and %d more", n-1)
		}
	}
	if in.ShortWait != "" {
		doubts = append(doubts, in.ShortWait)
	}
	if len(doubts) > 0 {
		doc.Outcome = string(fleet.VerdictNotEnough)
		doc.Why = "cannot tell: " + strings.Join(doubts, "; ") + " (on what answered: " + doc.Why + ")"
	}
	return doc, nil
}

// verdictDoc is v as JSON, with unknown and non-finite numbers null.
func verdictDoc(v fleet.Verdict, taken time.Time) VerdictDoc {
	doc := VerdictDoc{
		Model: v.Model, Candidate: v.Candidate, Baseline: v.Baseline,
		Outcome: string(v.Outcome), Why: v.Why, WindowSeconds: v.Window.Seconds(),
		TakenAt: taken.UTC().Format(time.RFC3339), Rows: make([]VerdictRowDoc, 0, len(v.Rows)),
		Failures: []Failure{},
	}
	if doc.Outcome == "" {
		doc.Outcome = string(fleet.VerdictNotEnough)
	}
	for _, r := range v.Rows {
		row := VerdictRowDoc{
			Quantity: r.Quantity, Method: r.Method, Comparison: r.Comparison,
			Candidate: finite(r.Candidate), Baseline: finite(r.Baseline),
			CandidateSamples: finite(&r.CandidateSamples), BaselineSamples: finite(&r.BaselineSamples),
			PValue: finite(r.PValue), NeedMore: r.NeedMore, Why: r.Why,
		}
		if i := r.Interval; i != nil && isFinite(i[0]) && isFinite(i[1]) {
			row.Interval = &[2]float64{i[0], i[1]}
		}
		doc.Rows = append(doc.Rows, row)
	}
	return doc
}

// verdictRoles are the queries a verdict's rows rest on: the counts and
// latencies compared, the tracks that name stable and canary, measured
// quality and its labels, and what the quality estimate is made of. A
// failed one can turn a row into "unknown", which alone would not stop a
// pass.
var verdictRoles = map[fleet.Role]bool{
	fleet.RoleVerdictCounts: true, fleet.RoleVerdictLatency: true, fleet.RoleTrafficWeight: true,
	fleet.RolePerformance: true, fleet.RoleLabelsInWindow: true,
	fleet.RoleScoreCalibration: true, fleet.RolePerformanceEstimate: true, fleet.RoleFeatureBuckets: true,
}

// verdictFailures are the sources other than the registry that did not
// answer, and the failed queries a verdict rests on. The registry gives
// none of the figures compared.
func verdictFailures(s fleet.Snapshot) []Failure {
	var r CheckResult
	failures(&r, s)
	kind := map[string]string{}
	for _, src := range s.Sources {
		kind[src.Name] = src.Kind
	}
	role := map[string]fleet.Role{}
	for _, q := range s.Queries {
		role[q.Source+"\x00"+q.Name] = q.Role
	}
	out := []Failure{}
	for _, f := range r.Failures {
		if kind[f.Source] == "mlflow" || f.Query != "" && !verdictRoles[role[f.Source+"\x00"+f.Query]] {
			continue
		}
		out = append(out, f)
	}
	return out
}

func finite(p *float64) *float64 {
	if p == nil || !isFinite(*p) {
		return nil
	}
	v := *p
	return &v
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
