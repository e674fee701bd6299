package actions

import (
	"fmt"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
)

// EvidenceText is a canary's verdict as a rollout plan shows it, after
// its outcome mark: "v12 vs v11 over 1h: fail — significantly worse on
// error rate (+0.9pp, always-valid p .003)". The words are the judge's;
// nil says there is none.
func EvidenceText(v *fleet.Verdict) string {
	if v == nil {
		return "not enough data: no verdict was taken for this plan"
	}
	head := ""
	if v.Candidate != "" && v.Baseline != "" {
		head = fmt.Sprintf("v%s vs v%s over %s: ", termsafe.Clean(v.Candidate), termsafe.Clean(v.Baseline), human.Duration(v.Window))
	}
	switch v.Outcome {
	case fleet.VerdictFail:
		var worse []string
		for _, r := range v.Rows {
			if r.Comparison == "worse" {
				worse = append(worse, worseRow(r))
			}
		}
		return head + "fail — significantly worse on " + strings.Join(worse, "; ")
	case fleet.VerdictPass:
		return head + "pass — " + termsafe.Clean(v.Why)
	}
	return head + "not enough data: " + termsafe.Clean(v.Why)
}

// worseRow is one significantly worse quantity with its difference and
// the evidence: "error rate (+0.9pp, always-valid p .003)".
func worseRow(r fleet.VerdictRow) string {
	name := termsafe.Clean(strings.ReplaceAll(r.Quantity, "_", " "))
	var parts []string
	if r.Candidate != nil && r.Baseline != nil {
		parts = append(parts, signedDelta(r.Quantity, *r.Candidate-*r.Baseline))
	}
	if p := r.PValue; p != nil {
		word := "p"
		if strings.HasPrefix(r.Method, "msprt") {
			word = "always-valid p"
		}
		parts = append(parts, word+" "+pText(*p))
	} else if i := r.Interval; i != nil {
		parts = append(parts, "95% ["+signedDelta(r.Quantity, i[0])+", "+signedDelta(r.Quantity, i[1])+"]")
	}
	if len(parts) == 0 {
		return name
	}
	return name + " (" + strings.Join(parts, ", ") + ")"
}

// signedDelta is candidate − baseline in the quantity's unit: "+0.9pp",
// "+12ms", "-0.021".
func signedDelta(quantity string, d float64) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	switch {
	case strings.Contains(quantity, "error"):
		return sign + fmt.Sprintf("%.2g", d*100) + "pp"
	case strings.Contains(quantity, "latency"):
		return sign + human.Seconds(d)
	}
	return sign + fmt.Sprintf("%.3g", d)
}

// pText writes a p-value as people read it: ".003", "<.0001".
func pText(p float64) string {
	if p < 0.0001 {
		return "<.0001"
	}
	return strings.TrimPrefix(fmt.Sprintf("%.2g", p), "0")
}

// EvidenceMark is the outcome's mark for text without a theme.
func EvidenceMark(v *fleet.Verdict) string {
	switch {
	case v == nil:
		return "?"
	case v.Outcome == fleet.VerdictPass:
		return "✔"
	case v.Outcome == fleet.VerdictFail:
		return "✖"
	}
	return "?"
}
