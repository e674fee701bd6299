package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
)

// Check outcomes, as exit codes: cron and CI read them.
const (
	CheckHealthy  = 0
	CheckBreached = 1
	CheckFailed   = 2
)

// Breach is one threshold crossed.
type Breach struct {
	Model   string `json:"model"`
	Version string `json:"version,omitempty"`
	Check   string `json:"check"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

// Failure is a source or query that did not answer, so part of the fleet
// could not be judged.
type Failure struct {
	Source string `json:"source"`
	Query  string `json:"query,omitempty"`
	Error  string `json:"error"`
}

// CheckResult is the verdict of one poll.
type CheckResult struct {
	Code     int       `json:"code"`
	Status   string    `json:"status"` // healthy, breached, failed
	TakenAt  string    `json:"taken_at"`
	Models   int       `json:"models"`
	Breaches []Breach  `json:"breaches"`
	Failures []Failure `json:"failures"`
}

// Evaluate judges a snapshot: a failed source or query makes the verdict
// "failed" (exit 2) even when breaches were found, because the picture is
// incomplete; otherwise any crossed threshold is "breached" (exit 1).
func Evaluate(s fleet.Snapshot) CheckResult {
	r := CheckResult{TakenAt: s.TakenAt.UTC().Format("2006-01-02T15:04:05Z07:00"), Models: len(s.Models),
		Breaches: []Breach{}, Failures: []Failure{}}
	for _, src := range s.Sources {
		if !src.OK {
			msg := src.Error
			if msg == "" {
				msg = "no answer"
			}
			r.Failures = append(r.Failures, Failure{Source: src.Name, Error: msg})
		}
	}
	down := map[string]bool{}
	for _, f := range r.Failures {
		down[f.Source] = true
	}
	for _, q := range s.Queries {
		if !q.OK && !down[q.Source] {
			r.Failures = append(r.Failures, Failure{Source: q.Source, Query: q.Name, Error: q.Error})
		}
	}
	for _, m := range s.Models {
		for _, f := range m.Health.Findings {
			if f.Breach {
				r.Breaches = append(r.Breaches, Breach{Model: m.Name, Version: f.Version, Check: f.Check, Status: f.Status.String(), Message: f.Message})
			}
		}
	}
	switch {
	case len(r.Failures) > 0:
		r.Code, r.Status = CheckFailed, "failed"
	case len(r.Breaches) > 0:
		r.Code, r.Status = CheckBreached, "breached"
	default:
		r.Code, r.Status = CheckHealthy, "healthy"
	}
	return r
}

// WriteCheck prints the verdict as text (one line per breach or failure)
// or as JSON.
func WriteCheck(w io.Writer, r CheckResult, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	var b strings.Builder
	for _, f := range r.Failures {
		what := f.Source
		if f.Query != "" {
			what += " query " + f.Query
		}
		fmt.Fprintf(&b, "FAILED    %s: %s\n", termsafe.Clean(what), termsafe.Clean(f.Error))
	}
	for _, br := range r.Breaches {
		who := termsafe.Clean(br.Model)
		if br.Version != "" {
			who += " v" + termsafe.Clean(br.Version)
		}
		fmt.Fprintf(&b, "%-9s %s: %s\n", strings.ToUpper(br.Status), who, termsafe.Clean(br.Message))
	}
	fmt.Fprintf(&b, "%s: %d models, %d breaches, %d failures\n", r.Status, r.Models, len(r.Breaches), len(r.Failures))
	_, err := io.WriteString(w, b.String())
	return err
}
