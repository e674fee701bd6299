package prometheus

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/mltop/mltop/internal/human"
)

// probe records what the server actually answered, which the client
// library's errors drop (status code, content type, start of the body), so
// the error shown to the user can say what went wrong in plain words.
type probe struct {
	mu          sync.Mutex
	status      int
	contentType string
	head        []byte
}

type probeKey struct{}

func withProbe(ctx context.Context) (context.Context, *probe) {
	p := &probe{}
	return context.WithValue(ctx, probeKey{}, p), p
}

// probeTransport fills the request's probe, if it has one.
type probeTransport struct{ next http.RoundTripper }

func (t probeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	p, _ := req.Context().Value(probeKey{}).(*probe)
	if err != nil || p == nil {
		return resp, err
	}
	p.mu.Lock()
	p.status, p.contentType = resp.StatusCode, resp.Header.Get("Content-Type")
	p.mu.Unlock()
	resp.Body = &headReader{ReadCloser: resp.Body, p: p}
	return resp, nil
}

// headReader keeps the first bytes of a body as they are read.
type headReader struct {
	io.ReadCloser
	p *probe
}

func (h *headReader) Read(b []byte) (int, error) {
	n, err := h.ReadCloser.Read(b)
	h.p.mu.Lock()
	if room := 512 - len(h.p.head); room > 0 && n > 0 {
		h.p.head = append(h.p.head, b[:min(n, room)]...)
	}
	h.p.mu.Unlock()
	return n, err
}

// explain turns an error from a query into one line of plain words that
// says what to check.
func explain(err error, p *probe, base string, timeout time.Duration) error {
	host := base
	if u, perr := url.Parse(base); perr == nil && u.Host != "" {
		host = u.Host
	}
	p.mu.Lock()
	status, ctype, head := p.status, p.contentType, string(bytes.TrimSpace(p.head))
	p.mu.Unlock()

	var apiErr *v1.Error
	var tooLarge *AnswerTooLargeError
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certErr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &tooLarge):
		return tooLarge
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("timed out after %s", timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("connection refused by %s: is the server running, and is the URL right?", host)
	case errors.As(err, &dnsErr):
		return fmt.Errorf("unknown host %q: check prometheus.url", dnsErr.Name)
	case errors.As(err, &unknownCA), errors.As(err, &certErr) && errors.As(certErr.Err, &unknownCA):
		return fmt.Errorf("TLS: %s's certificate is signed by an unknown authority: set prometheus.tls.ca_file", host)
	case errors.As(err, &hostErr):
		return fmt.Errorf("TLS: the certificate is not valid for %s", host)
	case strings.Contains(err.Error(), "certificate required") || strings.Contains(err.Error(), "bad certificate"):
		return fmt.Errorf("TLS: %s wants a client certificate: set prometheus.tls.cert_file and key_file", host)
	case status == http.StatusUnauthorized:
		if strings.Contains(strings.ToLower(head), "org id") || strings.Contains(strings.ToLower(head), "tenant") {
			return fmt.Errorf("authentication failed (401): missing or wrong X-Scope-OrgID (the tenant header; the server says %q): set prometheus.headers", human.Clip(firstLine(head), 80))
		}
		return fmt.Errorf("authentication failed (401): check prometheus.bearer_token_file or basic_auth%s", detail(head, ctype))
	case status == http.StatusForbidden:
		return fmt.Errorf("permission denied (403): the credentials may not query this server%s", detail(head, ctype))
	case status == http.StatusNotFound:
		return fmt.Errorf("no Prometheus API at %s (404): check the URL and its path prefix (Mimir: .../prometheus)", base)
	case status/100 == 2 && !strings.Contains(ctype, "json"):
		what := "something other than the Prometheus API"
		if strings.Contains(ctype, "html") || strings.HasPrefix(head, "<") {
			what = "an HTML page (a login page or a proxy?), not the Prometheus API"
		}
		return fmt.Errorf("%s answered with %s: check prometheus.url", host, what)
	case errors.As(err, &apiErr):
		switch {
		case status == http.StatusUnprocessableEntity:
			return victoriaError(apiErr.Msg)
		case apiErr.Type == v1.ErrBadData:
			return fmt.Errorf("bad query: %s", apiErr.Msg)
		case status >= 500:
			return fmt.Errorf("server error %d%s", status, detail(bodyError(firstNonEmpty(apiErr.Detail, head, apiErr.Msg)), ctype))
		case status >= 400:
			return fmt.Errorf("request refused (%d)%s", status, detail(bodyError(firstNonEmpty(apiErr.Detail, head, apiErr.Msg)), ctype))
		case apiErr.Type == v1.ErrBadResponse:
			return malformed(apiErr.Msg)
		}
		return fmt.Errorf("%s: %s", apiErr.Type, apiErr.Msg)
	}
	return err
}

// bodyError is the message of a Prometheus API error body
// ({"status":"error","error":...}), or the body as it is when it is not one.
func bodyError(body string) string {
	var env struct {
		Error string `json:"error"`
	}
	if json.Unmarshal([]byte(body), &env) != nil || strings.TrimSpace(env.Error) == "" {
		return body
	}
	return strings.Join(strings.Fields(env.Error), " ")
}

// notANumber is how the JSON decoders say a sample's value or time is a
// string that does not read as a number.
var notANumber = regexp.MustCompile(`strconv\.Parse(?:Float|Int): parsing "((?:[^"\\]|\\.)*)": invalid syntax`)

// malformed explains an answer that is not the Prometheus API's JSON, in
// one short line: the decoders' own messages repeat the answer around the
// fault, hundreds of characters of it.
func malformed(msg string) error {
	if i := strings.Index(msg, ", error found in #"); i >= 0 {
		msg = msg[:i]
	}
	if i := strings.LastIndex(msg, "unmarshalerDecoder: "); i >= 0 {
		msg = msg[i+len("unmarshalerDecoder: "):]
	}
	if m := notANumber.FindStringSubmatch(msg); m != nil {
		msg = `a value that must be a number is "` + human.Clip(strings.Trim(strings.ReplaceAll(m[1], `\"`, `"`), `"`), 40) + `"`
	}
	return fmt.Errorf("malformed answer: %s", human.Clip(strings.Join(strings.Fields(msg), " "), 120))
}

// detail appends a short, single-line excerpt of a body that reads as text.
func detail(body, ctype string) string {
	if body == "" || strings.Contains(ctype, "html") || strings.HasPrefix(body, "<") {
		return ""
	}
	line, _, _ := strings.Cut(body, "\n")
	if len(line) > 120 {
		line = line[:120] + "…"
	}
	return ": " + line
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return strings.TrimSpace(x)
		}
	}
	return ""
}

// victoriaPrefix is how VictoriaMetrics starts a 422: the whole query and
// its time range, repeated, before the reason.
var victoriaPrefix = regexp.MustCompile(`^(?s)error when executing query=.*?" (?:for|on the time range) \([^)]*\): `)

// victoriaError explains VictoriaMetrics' 422: a query it cannot parse or
// run, or one over a -search.max* limit of the server.
func victoriaError(msg string) error {
	reason := strings.Join(strings.Fields(victoriaPrefix.ReplaceAllString(msg, "")), " ")
	reason = strings.TrimPrefix(reason, "cannot execute query: ")
	if i := strings.Index(reason, "-search.max"); i >= 0 {
		flag, _, _ := strings.Cut(reason[i:], "=")
		return fmt.Errorf("query over the server's limit %s: %s", flag, human.Clip(reason, 200))
	}
	return fmt.Errorf("bad query: %s", human.Clip(reason, 200))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
