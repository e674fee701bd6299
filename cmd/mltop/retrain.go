package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/termsafe"
)

// cmdRetrain asks the configured pipeline to retrain a model.
func cmdRetrain(args []string, stdout, stderr io.Writer) int {
	return runAction(actions.Retrain, args, stdout, stderr)
}

// printPlan shows what the action will do, before it is confirmed.
func printPlan(w io.Writer, p actions.Plan, req actions.Request) {
	if p.Context != "" {
		termsafe.Fprintf(w, "context %s: ", p.Context)
	}
	termsafe.Fprintf(w, "%s %s  (%s", p.Title, p.Model, p.Adapter)
	if p.Target != "" {
		termsafe.Fprintf(w, " → %s", p.Target)
	}
	termsafe.Fprintln(w, ")")
	for _, c := range p.Changes {
		termsafe.Fprintf(w, "  %s\n", c)
	}
	if p.Meaning != "" {
		termsafe.Fprintf(w, "  %s\n", p.Meaning)
	}
	if p.Action == actions.Rollback && p.DefaultTo != "" {
		var others []string
		for _, c := range p.Candidates {
			if c.Version != p.To {
				others = append(others, c.Version)
			}
		}
		termsafe.Fprintf(w, "  default target v%s, from the %s", p.DefaultTo, p.DefaultFrom)
		if len(others) > 0 {
			termsafe.Fprintf(w, "; also ready: %s (--to)", strings.Join(others, ", "))
		}
		termsafe.Fprintln(w)
		if p.DefaultWhy != "" {
			termsafe.Fprintf(w, "  %s\n", p.DefaultWhy)
		}
	}
	if actions.IsRolloutVerb(p.Action) {
		termsafe.Fprintf(w, "  evidence: %s %s\n", actions.EvidenceMark(p.Evidence), actions.EvidenceText(p.Evidence))
	}
	if p.Action == actions.Retrain {
		termsafe.Fprintf(w, "  model state: %s\n", p.Summary.Text())
	}
	if req.Reason != "" {
		termsafe.Fprintf(w, "  reason: %s\n", req.Reason)
	}
	for _, warn := range p.Warnings {
		termsafe.Fprintf(w, "  note: %s\n", warn)
	}
	if p.TwoPerson {
		if req.Approval != "" {
			termsafe.Fprintf(w, "  second operator: approval %s (checked in the audit log)\n", req.Approval)
		} else {
			termsafe.Fprintf(w, "  %s\n", actions.NeedsSecondText)
		}
	}
	termsafe.Fprintf(w, "  request %s, time limit %s\n", p.ID, p.Timeout)
}

// printResult says how the action ended, and what to check if unsure.
func printResult(w io.Writer, r actions.Result) {
	msg := r.Message
	if r.Status != 0 && !strings.Contains(msg, "HTTP ") {
		msg += fmt.Sprintf(" (HTTP %d)", r.Status)
	}
	termsafe.Fprintf(w, "%s: %s\n", strings.ToUpper(string(r.Outcome)), msg)
	if r.RunID != "" && !strings.Contains(msg, r.RunID) { // a silence's message names its id
		termsafe.Fprintf(w, "  run %s\n", r.RunID)
	}
	if r.RunURL != "" {
		termsafe.Fprintf(w, "  %s\n", r.RunURL)
	}
	if r.Outcome != actions.Refused {
		termsafe.Fprintf(w, "  request %s, %s\n", r.ID, r.Duration.Round(time.Millisecond))
	}
	if !r.Recorded {
		termsafe.Fprintln(w, "  NOT RECORDED in the audit log")
	}
}
