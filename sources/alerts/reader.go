// Package alerts reads the alerts that are firing, pending or suppressed:
// from a Prometheus-compatible rule evaluator (Prometheus, the Thanos or
// Mimir ruler: GET /api/v1/alerts) or from Alertmanager (GET
// /api/v2/alerts, and /api/v2/silences to say who silenced what). One read
// is one request (two when an alert is silenced), whatever the fleet's
// size; everything the server says is bounded and cleaned of terminal
// controls before it is kept.
package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
)

// Kinds of alert source.
const (
	// KindRules is the rule evaluator of a Prometheus-compatible server.
	KindRules = "rules"
	// KindAlertmanager is Alertmanager's API v2.
	KindAlertmanager = fleet.AlertBackendAlertmanager
)

// Defaults.
const (
	DefaultTimeout  = 10 * time.Second
	DefaultMaxBytes = 16 << 20
)

// Options say where alerts are read from.
type Options struct {
	// URL is the server's base URL with any path prefix: the metrics
	// source's URL for KindRules (Mimir's ends in /prometheus, where its
	// ruler answers), Alertmanager's for KindAlertmanager.
	URL       string
	Kind      string
	Transport http.RoundTripper // auth, TLS, tenant headers; default http.DefaultTransport
	Timeout   time.Duration     // per read; default DefaultTimeout
	MaxBytes  int64             // the most an answer may hold; default DefaultMaxBytes
}

// Reader reads the alerts of one server.
type Reader struct {
	base     string
	kind     string
	http     *http.Client
	timeout  time.Duration
	maxBytes int64
}

// New checks the options; it does not connect.
func New(opts Options) (*Reader, error) {
	if opts.URL == "" {
		return nil, errors.New("alerts: no URL")
	}
	if opts.Kind != KindRules && opts.Kind != KindAlertmanager {
		return nil, fmt.Errorf("alerts: unknown kind %q", opts.Kind)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Transport == nil {
		opts.Transport = http.DefaultTransport
	}
	return &Reader{
		base: strings.TrimRight(opts.URL, "/"), kind: opts.Kind,
		http:    &http.Client{Transport: opts.Transport, CheckRedirect: noRedirect},
		timeout: opts.Timeout, maxBytes: opts.MaxBytes,
	}, nil
}

// noRedirect keeps credentials from following a redirect elsewhere: a
// redirect is answered as the error it is.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Name is the source's name in the status line.
func (r *Reader) Name() string { return "alerts" }

// Kind is the kind of every alert source's status, fleet.SourceKindAlerts.
func (r *Reader) Kind() string { return fleet.SourceKindAlerts }

// Backend says where alerts are read: KindRules or KindAlertmanager.
func (r *Reader) Backend() string { return r.kind }

// Timeout is the limit of one read.
func (r *Reader) Timeout() time.Duration { return r.timeout }

// Alerts reads every alert that is firing, pending or suppressed, with the
// warnings a partial answer carried (a Thanos ruler down).
func (r *Reader) Alerts(ctx context.Context) ([]fleet.Alert, []string, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	if r.kind == KindAlertmanager {
		return r.alertmanager(ctx)
	}
	return r.rules(ctx)
}

// get fetches path and returns its body, at most maxBytes of it. A status
// other than 200 is an error that says what the server answered.
func (r *Reader) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+path, nil)
	if err != nil {
		return nil, fmt.Errorf("build request for %s: %w", path, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := r.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, r.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read the answer of %s: %w", path, err)
	}
	if int64(len(body)) > r.maxBytes {
		return nil, fmt.Errorf("the answer of %s is larger than %d MiB: not read", path, r.maxBytes>>20)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, statusError(path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	return body, nil
}

// statusError says what a status other than 200 means, with the server's
// own message when it gave one in words (an API error's "error" field, or
// a line of plain text), never a page of HTML.
func statusError(path string, code int, ctype string, body []byte) error {
	msg := fmt.Sprintf("HTTP %d from %s", code, path)
	switch code {
	case http.StatusNotFound:
		msg += ": no alerts API there (a query-only engine, or a URL missing its prefix)"
	case http.StatusUnauthorized, http.StatusForbidden:
		msg += ": refused (credentials, or the tenant header)"
	}
	if s := serverMessage(ctype, body); s != "" {
		msg += ": " + s
	}
	return errors.New(msg)
}

// serverMessage is the first words of an error body: the "error" field
// of a JSON body (Prometheus's, Alertmanager's), the first line of plain
// text; "" for HTML (a login page or a proxy's) or nothing readable.
func serverMessage(ctype string, body []byte) string {
	var apiErr struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	trimmed := strings.TrimSpace(string(body[:min(len(body), 4096)]))
	switch {
	case strings.HasPrefix(trimmed, "{"):
		if json.Unmarshal(body, &apiErr) != nil {
			return ""
		}
		trimmed = apiErr.Error
		if trimmed == "" {
			trimmed = apiErr.Message
		}
	case strings.HasPrefix(trimmed, "<"), strings.Contains(ctype, "html"):
		return ""
	}
	line, _, _ := strings.Cut(trimmed, "\n")
	return strings.Join(strings.Fields(text(line, 120)), " ")
}

// Bounds on what is kept of an answer.
const (
	maxAlerts    = 2000
	maxLabels    = 64
	maxText      = 1024
	maxShortText = 256
)

// text bounds and cleans one string a server sent.
func text(s string, n int) string { return termsafe.Clean(human.Clip(s, n)) }

// labelMap bounds and cleans a label or annotation map.
func labelMap(m map[string]string) map[string]string {
	out := make(map[string]string, min(len(m), maxLabels))
	for k, v := range m {
		if len(out) == maxLabels {
			break
		}
		out[text(k, maxShortText)] = text(v, maxText)
	}
	return out
}

// alertOf builds an alert from its labels and annotations.
func alertOf(labels, annotations map[string]string, state string, since time.Time) fleet.Alert {
	return fleet.Alert{
		Name: text(labels["alertname"], maxShortText), State: state, Since: since,
		Severity: text(labels["severity"], maxShortText),
		Model:    text(labels["model"], maxShortText), Version: text(labels["version"], maxShortText),
		Labels:  labelMap(labels),
		Summary: text(annotations["summary"], maxText), Description: text(annotations["description"], maxText),
	}
}

// parseTime reads an RFC 3339 time; zero when absent or unreadable.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 2000 {
		return time.Time{}
	}
	return t
}
