package actions

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/secretfile"
)

const maxAnswer = 1 << 20

// onceClient never reuses a connection (net/http may replay a request
// whose reused connection broke, and treats one carrying Idempotency-Key as
// replayable), speaks HTTP/1.1 only (the HTTP/2 transport has retries of
// its own), and returns redirects instead of following them (a 307 would
// re-send the body elsewhere).
func onceClient() *http.Client { return onceClientTLS(&tls.Config{MinVersion: tls.VersionTLS12}) }

// onceClientTLS is onceClient with TLS settings of its own (a CA, a client
// certificate).
func onceClientTLS(t *tls.Config) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DisableKeepAlives:   true,
			TLSHandshakeTimeout: 10 * time.Second,
			TLSClientConfig:     t,
			TLSNextProto:        map[string]func(string, *tls.Conn) http.RoundTripper{},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// tlsFiles is the TLS client config of t's files, read now: a CA to trust,
// a client certificate.
func tlsFiles(t config.TLS) (*tls.Config, error) {
	c := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: t.InsecureSkipVerify} //nolint:gosec // opt-in by config
	if t.CAFile != "" {
		pem, err := secretfile.ReadPEM(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca_file %s holds no PEM certificate", t.CAFile)
		}
		c.RootCAs = pool
	}
	if t.CertFile != "" {
		certPEM, err := secretfile.ReadPEM(t.CertFile)
		if err != nil {
			return nil, fmt.Errorf("cert_file: %w", err)
		}
		keyPEM, err := secretfile.ReadPEM(t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("key_file: %w", err)
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return nil, fmt.Errorf("client certificate (cert_file, key_file): %w", err)
		}
		c.Certificates = []tls.Certificate{cert}
	}
	return c, nil
}

// httpCall is one request of an adapter.
type httpCall struct {
	method string
	url    string
	body   any // JSON-encoded unless raw is set
	raw    []byte
	header map[string]string // adapter's own headers (GitHub's Accept, ...)
	client *http.Client      // nil: the executor's
}

// answer is a 2xx response.
type answer struct {
	status int
	body   []byte
}

// statusError is a non-2xx answer: the target received the request and
// said no (or a proxy said something).
type statusError struct {
	status  int
	message string
}

func (e *statusError) Error() string {
	s := fmt.Sprintf("HTTP %d %s", e.status, http.StatusText(e.status))
	if e.message != "" {
		s += ": " + e.message
	}
	return s
}

// notSent marks an error from before anything reached the network.
type notSent struct{ err error }

func (e *notSent) Error() string { return e.err.Error() }
func (e *notSent) Unwrap() error { return e.err }

// send makes exactly one HTTP request for the action cfg: the config's
// headers, a bearer token read from token_file now (so a rotated token
// needs no restart), and Idempotency-Key: id.
func (e *Executor) send(ctx context.Context, cfg config.Action, id string, c httpCall) (answer, error) {
	body := c.raw
	if body == nil && c.body != nil {
		b, err := json.Marshal(c.body)
		if err != nil {
			return answer{}, &notSent{fmt.Errorf("encode request: %w", err)}
		}
		body = b
	}
	req, err := http.NewRequestWithContext(ctx, c.method, c.url, bytes.NewReader(body))
	if err != nil {
		return answer{}, &notSent{fmt.Errorf("build request: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "mltop")
	req.Header.Set("Idempotency-Key", id)
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	for k, v := range cfg.Headers {
		req.Header.Set(k, v)
	}
	if cfg.TokenFile != "" {
		tok, err := readToken(cfg.TokenFile)
		if err != nil {
			return answer{}, &notSent{err}
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	client := e.http
	if c.client != nil {
		client = c.client
	}
	resp, err := client.Do(req)
	if err != nil {
		// url.Error repeats the URL, query string included; keep the cause.
		if ue, ok := errors.AsType[*url.Error](err); ok && ue.Err != nil {
			err = ue.Err
		}
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return answer{}, fmt.Errorf("read answer (HTTP %d): %w", resp.StatusCode, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := errorMessage(b)
		if loc := resp.Header.Get("Location"); resp.StatusCode/100 == 3 && loc != "" {
			msg = "redirected to " + audit.SafeURL(loc) + "; set the url to the final address"
		}
		return answer{}, &statusError{status: resp.StatusCode, message: msg}
	}
	return answer{status: resp.StatusCode, body: b}, nil
}

func readToken(path string) (string, error) {
	tok, err := secretfile.Read(path)
	if err != nil {
		return "", fmt.Errorf("token_file: %w", err)
	}
	return tok, nil
}

// secrets are the values that must never reach a message: the token and
// the configured header values.
func secrets(cfg config.Action) []string {
	var out []string
	for _, v := range cfg.Headers {
		out = append(out, v)
	}
	if cfg.TokenFile != "" {
		if tok, err := readToken(cfg.TokenFile); err == nil {
			out = append(out, tok)
		}
	}
	return out
}

// errorMessage pulls the human part out of an error body: the message,
// detail or error field of the JSON APIs speak (MLflow, Airflow, Argo,
// Kubeflow, GitHub), else the first non-blank line.
func errorMessage(b []byte) string {
	var str string // Alertmanager answers a JSON string
	if json.Unmarshal(b, &str) == nil && strings.TrimSpace(str) != "" {
		return human.Clip(strings.TrimSpace(str), 300)
	}
	var js map[string]any
	if json.Unmarshal(b, &js) == nil {
		for _, k := range []string{"message", "detail", "error", "title"} {
			if s, ok := js[k].(string); ok && strings.TrimSpace(s) != "" {
				return human.Clip(strings.TrimSpace(s), 300)
			}
		}
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return human.Clip(line, 300)
		}
	}
	return ""
}

// stringField returns the first of keys that is a non-empty string (or a
// number) in the JSON object b.
func stringField(b []byte, keys ...string) string {
	var js map[string]any
	if json.Unmarshal(b, &js) != nil {
		return ""
	}
	for _, k := range keys {
		switch v := js[k].(type) {
		case string:
			if v != "" {
				return v
			}
		case float64:
			return fmt.Sprint(int64(v))
		}
	}
	return ""
}

// nestedString reads the string at a path of object keys in JSON b.
func nestedString(b []byte, path ...string) string {
	for len(path) > 1 {
		var obj map[string]json.RawMessage
		if json.Unmarshal(b, &obj) != nil {
			return ""
		}
		b, path = obj[path[0]], path[1:]
	}
	if len(path) == 0 {
		return ""
	}
	return stringField(b, path[0])
}
