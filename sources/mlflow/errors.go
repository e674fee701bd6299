package mlflow

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/human"
)

// Error codes of mlflow/protos/databricks.proto that callers branch on.
const (
	CodeResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST"
	CodeInvalidParameter     = "INVALID_PARAMETER_VALUE"
	CodeEndpointNotFound     = "ENDPOINT_NOT_FOUND"
)

// ErrPartial marks a registry read that returned data but could not read
// everything; see Source.LastPartial.
var ErrPartial = errors.New("mlflow: registry read incomplete")

// APIError is a non-2xx answer from the tracking server (or a proxy in front of it).
type APIError struct {
	HTTPStatus int
	Code       string // MLflow error_code; "" when the body was not MLflow's JSON
	Message    string // MLflow message, or the first line of a non-JSON body
	// RetryAfter is how long the server asked to wait (429, 503); 0 when it did not say.
	RetryAfter time.Duration

	resource string // what was asked for, e.g. `model "x"`; names the thing not found
}

func (e *APIError) Error() string {
	s := e.text()
	if e.RetryAfter > 0 {
		s += fmt.Sprintf("; the server asks to retry after %s", e.RetryAfter)
	}
	return s
}

// RetryAfterHint is how long the server asked to wait before the next
// attempt; 0 when it did not say.
func (e *APIError) RetryAfterHint() time.Duration { return e.RetryAfter }

func (e *APIError) text() string {
	switch {
	case e.HTTPStatus == http.StatusUnauthorized:
		return "mlflow: authentication failed (401): check MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD"
	case e.HTTPStatus == http.StatusForbidden:
		s := "mlflow: permission denied (403)"
		if e.Message != "" {
			s += ": " + e.Message
		}
		return s
	case e.Code == CodeResourceDoesNotExist && e.resource != "":
		return fmt.Sprintf("mlflow: %s not found (%s)", e.resource, e.Code)
	case e.Code != "":
		msg := e.Message
		if msg == "" {
			msg = strings.ToLower(http.StatusText(e.HTTPStatus))
		}
		return fmt.Sprintf("mlflow: %s (%s, HTTP %d)", msg, e.Code, e.HTTPStatus)
	}
	s := fmt.Sprintf("mlflow: HTTP %d %s", e.HTTPStatus, http.StatusText(e.HTTPStatus))
	if e.HTTPStatus == http.StatusServiceUnavailable || e.HTTPStatus == http.StatusTooManyRequests {
		s = fmt.Sprintf("mlflow: server busy (HTTP %d %s)", e.HTTPStatus, http.StatusText(e.HTTPStatus))
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// IsNotFound reports whether err says the model, version, alias or run does not exist.
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == CodeResourceDoesNotExist
}

func isDenied(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.HTTPStatus == http.StatusForbidden
}

// newAPIError reads MLflow's {error_code, message} body, or keeps the first
// line of anything else (proxies answer with HTML or plain text).
func newAPIError(status int, body []byte, resource string) *APIError {
	e := &APIError{HTTPStatus: status, resource: resource}
	var js struct {
		ErrorCode string `json:"error_code"`
		Message   string `json:"message"`
	}
	if json.Unmarshal(body, &js) == nil && (js.ErrorCode != "" || js.Message != "") {
		e.Code = js.ErrorCode
		e.Message = human.Clip(strings.TrimSpace(js.Message), 500)
		return e
	}
	e.Message = firstLine(body)
	return e
}

// AnswerError is a 2xx answer that is not MLflow's JSON: from a proxy or a
// sign-in page, perhaps, so it says nothing of whether a write was done.
type AnswerError struct{ msg string }

func (e *AnswerError) Error() string { return e.msg }

// notMLflowJSON says in one line what came instead of MLflow's JSON: an
// HTML page (a login page, a proxy, the wrong URL), something that is not
// JSON, or JSON of another shape.
func notMLflowJSON(contentType string, body []byte, err error) error {
	return &AnswerError{msg: answerProblem(contentType, body, err)}
}

func answerProblem(contentType string, body []byte, err error) string {
	if strings.Contains(strings.ToLower(contentType), "html") || looksHTML(body) {
		title := ""
		if t := htmlTitle(string(body)); t != "" {
			title = fmt.Sprintf(" (%q)", human.Clip(t, 60))
		}
		return fmt.Sprintf("mlflow: the server answered with an HTML page%s, not MLflow's JSON: is the tracking URI right?", title)
	}
	var syntax *json.SyntaxError
	var shape *json.UnmarshalTypeError
	switch {
	case errors.As(err, &shape):
		field := shape.Field
		if field == "" {
			field = "the answer"
		}
		return fmt.Sprintf("mlflow: the answer is not what MLflow sends (%s is %s, not %s)",
			human.Clip(field, 60), jsonKind(shape.Value), goKind(shape.Type))
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected end of JSON input"):
		return "mlflow: the answer is not JSON (it ends early)"
	case errors.As(err, &syntax):
		return fmt.Sprintf("mlflow: the answer is not JSON (%s)", human.Clip(syntax.Error(), 80))
	}
	return fmt.Sprintf("mlflow: the answer could not be read: %s", human.Clip(err.Error(), 120))
}

func looksHTML(b []byte) bool {
	head := strings.ToLower(strings.TrimSpace(string(b[:min(len(b), 512)])))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") || strings.Contains(head, "<body")
}

// jsonKind names a JSON value kind as json.UnmarshalTypeError.Value gives it.
func jsonKind(v string) string {
	switch {
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	case v == "bool":
		return "true or false"
	case v == "string":
		return "a string"
	case strings.HasPrefix(v, "number"):
		return "a number"
	}
	return human.Clip(v, 20)
}

func goKind(t reflect.Type) string {
	if t == nil {
		return "what was expected"
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "what was expected"
}

// firstLine returns the first non-blank line of b, trimmed and clipped; for
// an HTML error page, its title says more than its first line.
func firstLine(b []byte) string {
	if t := htmlTitle(string(b)); t != "" {
		return human.Clip(t, 200)
	}
	if looksHTML(b) {
		// A proxy's error page: its words, never its markup.
		b = []byte(htmlText(string(b)))
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return human.Clip(line, 200)
		}
	}
	return ""
}

func htmlTitle(s string) string {
	lower := strings.ToLower(s)
	i := strings.Index(lower, "<title>")
	if i < 0 {
		return ""
	}
	rest := s[i+len("<title>"):]
	j := strings.Index(strings.ToLower(rest), "</title>")
	if j < 0 {
		return ""
	}
	return strings.Join(strings.Fields(rest[:j]), " ")
}

// shortID abbreviates long run ids in messages.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8] + "…"
	}
	return id
}

// htmlText is s without its tags, each tag ending a line.
func htmlText(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
			b.WriteByte('\n')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
