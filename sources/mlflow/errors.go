package mlflow

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

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

	resource string // what was asked for, e.g. `model "x"`; names the thing not found
}

func (e *APIError) Error() string {
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

// firstLine returns the first non-blank line of b, trimmed and clipped; for
// an HTML error page, its title says more than its first line.
func firstLine(b []byte) string {
	if t := htmlTitle(string(b)); t != "" {
		return human.Clip(t, 200)
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
