package prometheus

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/mltop/mltop/internal/labelrows"
)

// QueryTable runs an instant query like Query and reads the answer straight
// into a table of the named labels (see decodeAnswer): for the histogram
// queries, whose answers hold hundreds of thousands of series, that saves
// a label map per sample. The request, its GET fallback and its errors are
// those of Query.
func (s *Source) QueryTable(ctx context.Context, expr string, at time.Time, cols []string) (*labelrows.Table, []string, error) {
	a, warnings, err := s.tableAnswer(ctx, expr, at, cols)
	if err != nil {
		return nil, warnings, err
	}
	return a.tab, warnings, nil
}

// tableAnswer is QueryTable's whole answer, with the count of native
// histograms left out.
func (s *Source) tableAnswer(ctx context.Context, expr string, at time.Time, cols []string) (*answer, []string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	ctx, p := withProbe(ctx)
	resp, body, err := s.instantQuery(ctx, expr, at)
	if err != nil {
		return nil, nil, explain(err, p, s.url, s.timeout)
	}
	if code := resp.StatusCode; code/100 != 2 {
		var warnings []string
		if code == http.StatusBadRequest || code == http.StatusUnprocessableEntity {
			warnings = warningsOf(body) // the only error answers client_golang reads
		}
		return nil, warnings, explain(apiErrorOf(code, body), p, s.url, s.timeout)
	}
	a, err := decodeAnswer(body, cols)
	if err != nil {
		return nil, warningsOf(body), explain(&v1.Error{Type: v1.ErrBadResponse, Msg: err.Error()}, p, s.url, s.timeout)
	}
	warnings := plainWarnings(a.warnings)
	if a.status == "error" {
		return nil, warnings, explain(&v1.Error{Type: a.errorType, Msg: a.errorMsg}, p, s.url, s.timeout)
	}
	s.detectBackend(ctx)
	if t := a.resultType; t == "matrix" || t == "string" {
		return nil, warnings, fmt.Errorf("unexpected %s result", t)
	}
	return a, warnings, nil
}

// instantQuery sends /api/v1/query as client_golang's API does: a form
// POST, repeated as a GET when the server refuses POST.
func (s *Source) instantQuery(ctx context.Context, expr string, at time.Time) (*http.Response, []byte, error) {
	u := s.client.URL("/api/v1/query", nil)
	args := url.Values{"query": {expr}, "timeout": {s.timeout.String()}}
	if !at.IsZero() {
		args.Set("time", strconv.FormatFloat(float64(at.Unix())+float64(at.Nanosecond())/1e9, 'f', -1, 64))
	}
	enc := args.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(enc))
	if err != nil {
		return nil, nil, fmt.Errorf("query request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header["Idempotency-Key"] = nil // safe to retry: a query changes nothing
	resp, body, err := s.client.Do(ctx, req)
	if resp == nil || !postRefused(resp.StatusCode) {
		return resp, body, err
	}
	u.RawQuery = enc
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("query request: %w", err)
	}
	return s.client.Do(ctx, req)
}

func postRefused(code int) bool {
	return code == http.StatusForbidden || code == http.StatusMethodNotAllowed || code == http.StatusNotImplemented
}

// envelope is a response's status part.
type envelope struct {
	Status    string       `json:"status"`
	ErrorType v1.ErrorType `json:"errorType"`
	Error     string       `json:"error"`
	Warnings  []string     `json:"warnings"`
}

// apiErrorOf is the error client_golang's API gives for an answer with a
// status code other than 2xx: explain reads the same fields.
func apiErrorOf(code int, body []byte) error {
	var env envelope
	jsonErr := json.Unmarshal(body, &env)
	switch {
	case (code == http.StatusBadRequest || code == http.StatusUnprocessableEntity) && jsonErr == nil:
		if env.Status == "success" {
			return &v1.Error{Type: v1.ErrBadResponse, Msg: "inconsistent body for response code"}
		}
		if env.ErrorType == "" {
			env.ErrorType = v1.ErrClient
		}
		if env.Error == "" {
			env.Error = fmt.Sprintf("client error: %d", code)
		}
		return &v1.Error{Type: env.ErrorType, Msg: env.Error}
	case code/100 == 4:
		return &v1.Error{Type: v1.ErrClient, Msg: fmt.Sprintf("client error: %d", code), Detail: string(body)}
	case code/100 == 5:
		return &v1.Error{Type: v1.ErrServer, Msg: fmt.Sprintf("server error: %d", code), Detail: string(body)}
	}
	return &v1.Error{Type: v1.ErrBadResponse, Msg: fmt.Sprintf("bad response code %d", code), Detail: string(body)}
}

// warningsOf reads an error answer's warnings, if it has any.
func warningsOf(body []byte) []string {
	var env envelope
	if json.Unmarshal(body, &env) != nil {
		return nil
	}
	return plainWarnings(env.Warnings)
}
