package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
)

// Check outcomes, as exit codes: cron and CI read them.
const (
	CheckHealthy  = 0
	CheckBreached = 1
	// CheckFailed is "cannot tell": a source failed, an answer was partial,
	// no model was found, or the wait ended before rates were right. A
	// verdict drawn from such a picture could be a false green.
	CheckFailed  = 2
	CheckUnknown = CheckFailed
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

// Warning is a note a source returned with its data, such as a Thanos
// partial response: the values lack some series.
type Warning struct {
	Source  string `json:"source"`
	Warning string `json:"warning"`
}

// Why exit 2: the kinds of reason.
const (
	ReasonSourceFailed    = "source_failed"
	ReasonPartialResponse = "partial_response"
	ReasonNoModels        = "no_models"
	ReasonShortWait       = "short_wait"
)

// Reason is one cause of a "cannot tell" verdict.
type Reason struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// CheckResult is the verdict of one poll.
type CheckResult struct {
	Code     int       `json:"code"`
	Status   string    `json:"status"` // healthy, breached, failed (a source failed), unknown (cannot tell otherwise)
	TakenAt  string    `json:"taken_at"`
	Models   int       `json:"models"`
	Breaches []Breach  `json:"breaches"`
	Failures []Failure `json:"failures"`
	Warnings []Warning `json:"warnings"`
	// Reasons say why the code is 2; empty otherwise.
	Reasons []Reason `json:"reasons"`
}

// CheckInput is what the verdict needs beyond the snapshot: how it was
// taken.
type CheckInput struct {
	// Queries maps a query's name to its expression, to name the query
	// that came back empty.
	Queries map[string]string
	// ShortWait, when set, says in plain words that the wait ended before
	// the rate window filled, so rates read low (or, early on, absurd).
	ShortWait string
}

// Evaluate judges a snapshot as EvaluateWith does, knowing nothing of how
// it was taken.
func Evaluate(s fleet.Snapshot) CheckResult { return EvaluateWith(s, CheckInput{}) }

// EvaluateWith judges a snapshot. The verdict is 2 (cannot tell) when any
// source or query failed, a source answered only in part, no model was
// found, or in.ShortWait is set — even when breaches were found, because
// the picture is incomplete. Otherwise any crossed threshold is 1.
func EvaluateWith(s fleet.Snapshot, in CheckInput) CheckResult {
	r := CheckResult{TakenAt: s.TakenAt.UTC().Format("2006-01-02T15:04:05Z07:00"), Models: len(s.Models),
		Breaches: []Breach{}, Failures: []Failure{}, Warnings: []Warning{}, Reasons: []Reason{}}
	failures(&r, s)
	for _, src := range s.Sources {
		if !src.Judged() {
			continue
		}
		for _, w := range src.Warnings {
			r.Warnings = append(r.Warnings, Warning{Source: src.Name, Warning: w})
		}
		if len(src.Warnings) > 0 {
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonPartialResponse,
				Message: fmt.Sprintf("%s answered in part (%s): the values lack some series", src.Name, plural(len(src.Warnings), "warning"))})
		}
	}
	if msg := noModels(s, in.Queries); msg != "" {
		r.Reasons = append(r.Reasons, Reason{Kind: ReasonNoModels, Message: msg})
	}
	if in.ShortWait != "" {
		r.Reasons = append(r.Reasons, Reason{Kind: ReasonShortWait, Message: in.ShortWait})
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
	case len(r.Reasons) > 0:
		r.Code, r.Status = CheckUnknown, "unknown"
	case len(r.Breaches) > 0:
		r.Code, r.Status = CheckBreached, "breached"
	default:
		r.Code, r.Status = CheckHealthy, "healthy"
	}
	return r
}

// failures lists the sources, then the queries of working sources, that
// did not answer, each also as a reason.
func failures(r *CheckResult, s fleet.Snapshot) {
	down := map[string]bool{}
	for _, src := range s.Sources {
		if src.OK || !src.Judged() {
			continue
		}
		msg := src.Error
		if msg == "" {
			msg = "no answer"
		}
		down[src.Name] = true
		r.Failures = append(r.Failures, Failure{Source: src.Name, Error: msg})
		r.Reasons = append(r.Reasons, Reason{Kind: ReasonSourceFailed, Message: src.Name + " failed: " + msg})
	}
	for _, q := range s.Queries {
		if q.OK || down[q.Source] {
			continue
		}
		msg := q.Error
		if msg == "" {
			msg = "no answer"
		}
		r.Failures = append(r.Failures, Failure{Source: q.Source, Query: q.Name, Error: msg})
		r.Reasons = append(r.Reasons, Reason{Kind: ReasonSourceFailed, Message: q.Source + " query " + q.Name + " failed: " + msg})
	}
}

// noModels says why nothing can be judged when no model was found — none
// at all, or none in the metrics of a source that answered — naming the
// query that came back empty; "" when models were found. A wrong tenant
// or a renamed metric answers empty, not with an error, and "healthy:
// 0 models" would be a false green.
func noModels(s fleet.Snapshot, exprs map[string]string) string {
	serving := false
	for _, m := range s.Models {
		serving = serving || m.Serving
	}
	metrics := len(s.Queries) > 0
	if len(s.Models) > 0 && (serving || !metrics) {
		return ""
	}
	var empty []fleet.QueryStatus
	for _, q := range s.Queries {
		if q.OK && q.Series == 0 {
			empty = append(empty, q)
		}
	}
	what := "no models found"
	if len(s.Models) > 0 {
		what = fmt.Sprintf("no models found in the metrics (%s only in the registry)", plural(len(s.Models), "model"))
	}
	if len(empty) == 0 {
		return what
	}
	for _, src := range s.Sources {
		if p := src.Profiles; p != nil && p.Problem != "" {
			// Profile detection found nothing to read: its words say
			// what was looked for, which the union of every exporter
			// profile's query would only bury.
			return what + ": " + p.Problem + "; check the tenant and the scrape config, or write prometheus.profile"
		}
	}
	// Name the query that lists the serving versions first: it is the one
	// a renamed metric or a wrong tenant empties.
	sort.SliceStable(empty, func(i, j int) bool {
		return empty[i].Role == fleet.RoleRequestRate && empty[j].Role != fleet.RoleRequestRate
	})
	first := empty[0]
	msg := fmt.Sprintf("%s: query %s", what, first.Name)
	if expr := exprs[first.Name]; expr != "" {
		msg += " (" + expr + ")"
	}
	msg += " came back empty"
	if n := len(empty) - 1; n > 0 {
		msg += fmt.Sprintf(", as did %s", plural(n, "other query"))
	}
	return msg + "; check the tenant and the metric names"
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "query") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(what, "y"))
	}
	return fmt.Sprintf("%d %ss", n, what)
}
