// Package verdictapi answers GET /v1/verdict: the comparison of a model's
// candidate version with its stable one, for rollout controllers (Argo
// Rollouts, Flagger), from the shared poller's latest snapshot. A request
// never queries a source: it judges what the poller last saw.
package verdictapi

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/termsafe"
)

// Path is where the verdict is served.
const Path = "/v1/verdict"

// StatusTooEarly is HTTP 425: not enough data yet, ask again later.
const StatusTooEarly = http.StatusTooEarly

// Options are what the handler reads.
type Options struct {
	// Latest is the newest snapshot; false before the first poll ended.
	Latest func() (fleet.Snapshot, bool)
	Judge  report.VerdictJudge
	Logger *slog.Logger
}

// ErrorDoc is the body of a request that has no verdict: a missing
// parameter, an unknown model or version, a method other than GET.
type ErrorDoc struct {
	Error string `json:"error"`
	// DidYouMean are the known names nearest to the one asked for.
	DidYouMean []string `json:"did_you_mean,omitempty"`
}

// Handler serves the verdict as JSON, always: 200 pass, 409 fail, 425
// not enough data (also before the first poll has ended), or 200 for
// every outcome with always_200=true; 400 without a model, 404 for an
// unknown model or version, 405 for a method other than GET.
func Handler(o Options) http.Handler {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			rw.Header().Set("Allow", http.MethodGet)
			write(rw, log, http.StatusMethodNotAllowed, ErrorDoc{Error: "method " + r.Method + " not allowed: use GET"})
			return
		}
		q := r.URL.Query()
		model, candidate := q.Get("model"), q.Get("candidate")
		if model == "" {
			write(rw, log, http.StatusBadRequest, ErrorDoc{Error: "missing parameter model: GET " + Path + "?model=M[&candidate=V]"})
			return
		}
		always200 := false
		if a := q.Get("always_200"); a != "" {
			var err error
			if always200, err = strconv.ParseBool(a); err != nil {
				write(rw, log, http.StatusBadRequest, ErrorDoc{Error: "always_200 must be true or false"})
				return
			}
		}
		status := Status
		if always200 {
			// For clients that read the body of 2xx answers only (Argo
			// Rollouts' web provider): the outcome is in the body.
			status = func(string) int { return http.StatusOK }
		}
		snap, ok := o.Latest()
		if !ok {
			write(rw, log, status(string(fleet.VerdictNotEnough)), report.VerdictDoc{
				Model: model, Candidate: candidate, Outcome: string(fleet.VerdictNotEnough),
				Why: "mltop has not finished its first poll yet; ask again shortly", Rows: []report.VerdictRowDoc{}, Failures: []report.Failure{},
			})
			return
		}
		doc, err := report.JudgeVerdict(snap, report.CheckInput{}, model, candidate, o.Judge)
		var unknown *report.UnknownError
		switch {
		case errors.As(err, &unknown):
			write(rw, log, http.StatusNotFound, ErrorDoc{Error: unknown.Error(), DidYouMean: unknown.Near})
			return
		case err != nil:
			write(rw, log, http.StatusInternalServerError, ErrorDoc{Error: err.Error()})
			return
		}
		write(rw, log, status(doc.Outcome), doc)
	})
}

// Status is an outcome's HTTP status: 200 pass, 409 fail, 425 otherwise.
func Status(outcome string) int {
	switch fleet.VerdictOutcome(outcome) {
	case fleet.VerdictPass:
		return http.StatusOK
	case fleet.VerdictFail:
		return http.StatusConflict
	}
	return StatusTooEarly
}

// write sends body as JSON with status. Strings are JSON-escaped, and
// the characters a terminal acts on are escaped too: whoever prints the
// answer (curl in a terminal) is not affected by a hostile label value.
func write(rw http.ResponseWriter, log *slog.Logger, status int, body any) {
	h := rw.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	rw.WriteHeader(status)
	enc := termsafe.NewJSONEncoder(rw)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // JSON, not HTML: "&" stays "&"
	if err := enc.Encode(body); err != nil {
		log.Warn("write verdict answer", "err", err)
	}
}
