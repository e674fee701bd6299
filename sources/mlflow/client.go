// Package mlflow speaks MLflow's tracking-server REST API (model registry and
// runs) with net/http, and reads the registry into fleet.Registry.
package mlflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Options configure a Client. Zero values take the defaults noted.
type Options struct {
	// TrackingURI is http(s)://host:port[/prefix]; default $MLFLOW_TRACKING_URI.
	TrackingURI string
	// Getenv reads MLFLOW_* variables; default os.Getenv.
	Getenv func(string) string
	// Timeout bounds each HTTP request; default 10s.
	Timeout time.Duration
	// Concurrency is how many requests a registry read keeps in flight; default 8.
	Concurrency int
	Logger      *slog.Logger
	// HTTPClient replaces the client built from the TLS variables (tests).
	HTTPClient *http.Client
}

// Client calls one MLflow tracking server. It is safe for concurrent use.
type Client struct {
	base        *url.URL
	http        *http.Client
	auth        string // Authorization header value; never logged
	timeout     time.Duration
	concurrency int
	log         *slog.Logger

	// wait pauses between retries; replaced in tests so they never sleep.
	wait func(ctx context.Context, d time.Duration) error
	now  func() time.Time
}

const (
	apiPrefix      = "/api/2.0/mlflow"
	maxRetries     = 3
	maxRetryWait   = 10 * time.Second
	baseBackoff    = 500 * time.Millisecond
	maxBodyBytes   = 64 << 20
	defaultTimeout = 10 * time.Second
	defaultWorkers = 8
)

// NewClient checks the tracking URI and the TLS/auth environment; it does no I/O
// beyond reading certificate files.
func NewClient(opts Options) (*Client, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	raw := opts.TrackingURI
	if raw == "" {
		raw = getenv(EnvTrackingURI)
	}
	base, err := parseTrackingURI(raw)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:        base,
		auth:        authHeader(getenv),
		timeout:     opts.Timeout,
		concurrency: opts.Concurrency,
		log:         opts.Logger,
		http:        opts.HTTPClient,
		wait:        sleepCtx,
		now:         time.Now,
	}
	if c.timeout <= 0 {
		c.timeout = defaultTimeout
	}
	if c.concurrency <= 0 {
		c.concurrency = defaultWorkers
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.http == nil {
		tc, err := tlsConfig(getenv)
		if err != nil {
			return nil, err
		}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = tc
		tr.MaxIdleConnsPerHost = c.concurrency
		c.http = &http.Client{Transport: tr, CheckRedirect: noWriteRedirects}
	}
	c.log.Debug("mlflow client", "tracking_uri", base.Redacted(), "auth", authKind(c.auth))
	return c, nil
}

// noWriteRedirects follows redirects of reads only: a redirected write (to
// a sign-in page, say) would turn into a GET whose answer says nothing of it.
func noWriteRedirects(req *http.Request, via []*http.Request) error {
	if via[0].Method != http.MethodGet {
		return http.ErrUseLastResponse
	}
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return nil
}

// TrackingURI returns the server's base URL without credentials.
func (c *Client) TrackingURI() string { return c.base.Redacted() }

func authKind(h string) string {
	kind, _, _ := strings.Cut(h, " ")
	if kind == "" {
		return "none"
	}
	return strings.ToLower(kind)
}

// request is one REST call: an endpoint under /api/2.0/mlflow.
type request struct {
	method   string
	path     string
	query    url.Values // GET parameters
	body     any        // JSON body for POST, PATCH and DELETE
	resource string     // what is asked for, for "not found" messages
}

// do sends r and decodes a 2xx answer into out (nil to discard). GETs that
// meet 429 or 503 are retried; writes never are, since they may have happened.
func (c *Client) do(ctx context.Context, r request, out any) error {
	for attempt := 0; ; attempt++ {
		status, header, body, err := c.send(ctx, r)
		if err != nil {
			return err
		}
		if status >= 200 && status < 300 {
			if out == nil && r.method != http.MethodGet && len(bytes.TrimSpace(body)) > 0 {
				// A write's answer is MLflow's JSON ({}); anything else came
				// from something in front of it that may not have passed it on.
				var v json.RawMessage
				return decode(header, body, &v)
			}
			return decode(header, body, out)
		}
		retryable := status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
		apiErr := newAPIError(status, body, r.resource)
		apiErr.RetryAfter, _ = parseRetryAfter(header.Get("Retry-After"), c.now(), 0)
		if r.method != http.MethodGet || !retryable || attempt >= maxRetries {
			return apiErr
		}
		d := c.retryDelay(header.Get("Retry-After"), attempt)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
			// Waiting would only end in a time-out that hides what the
			// server said: say it now.
			return apiErr
		}
		c.log.Debug("mlflow retry", "path", r.path, "status", status, "attempt", attempt+1, "wait", d)
		if err := c.wait(ctx, d); err != nil {
			return fmt.Errorf("mlflow: waiting to retry after HTTP %d: %w", status, err)
		}
	}
}

// send makes one attempt, bounded by the per-request timeout (the client's,
// or the one ctx carries: see WithRequestTimeout).
func (c *Client) send(ctx context.Context, r request) (int, http.Header, []byte, error) {
	limit := c.requestTimeout(ctx)
	key := idempotencyKeyOf(ctx)
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	u := *c.base
	u.Path = c.base.Path + apiPrefix + r.path
	// Encode writes spaces as '+'; %20 is what MLflow's own client sends.
	u.RawQuery = strings.ReplaceAll(r.query.Encode(), "+", "%20")

	var rd io.Reader
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return 0, nil, nil, fmt.Errorf("mlflow: encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), rd)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("mlflow: build request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "mltop")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	if key != "" && r.method != http.MethodGet {
		req.Header.Set("Idempotency-Key", key)
	}
	if r.method != http.MethodGet {
		// net/http replays a request whose reused connection broke when it
		// can rewind the body and the request looks idempotent (as
		// Idempotency-Key makes it): a write would reach the registry twice.
		req.GetBody = nil
	}

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, c.transportError(err, parent, limit)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	if err != nil {
		return 0, nil, nil, c.transportError(err, parent, limit)
	}
	c.log.Debug("mlflow request", "method", r.method, "path", r.path, "status", resp.StatusCode, "took", time.Since(start))
	return resp.StatusCode, resp.Header, body, nil
}

// transportError says why a request got no answer; limit is the
// per-request bound, which names the time-out only when it, not the
// caller's own deadline (parent), ended the request.
func (c *Client) transportError(err error, parent context.Context, limit time.Duration) error {
	if errors.Is(err, context.DeadlineExceeded) {
		if parent.Err() == nil {
			return fmt.Errorf("mlflow: %s did not answer within %s: %w", c.base.Host, limit, context.DeadlineExceeded)
		}
		return fmt.Errorf("mlflow: %s did not answer in time: %w", c.base.Host, context.DeadlineExceeded)
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("mlflow: request to %s cancelled: %w", c.base.Host, context.Canceled)
	}
	// net/http already strips any password from the URL in its errors.
	return fmt.Errorf("mlflow: %w", err)
}

func decode(header http.Header, body []byte, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return notMLflowJSON(header.Get("Content-Type"), body, err)
	}
	return nil
}

// retryDelay honours Retry-After (seconds or an HTTP date) and otherwise backs
// off exponentially with jitter; either way it is capped at maxRetryWait.
func (c *Client) retryDelay(retryAfter string, attempt int) time.Duration {
	if d, ok := parseRetryAfter(retryAfter, c.now(), maxRetryWait); ok {
		return d
	}
	d := min(baseBackoff<<attempt, maxRetryWait)
	return d/2 + rand.N(d/2+1)
}

// parseRetryAfter reads a Retry-After header, capped at limit (0: at a day,
// which is only ever shown, never waited).
func parseRetryAfter(v string, now time.Time, limit time.Duration) (time.Duration, bool) {
	if limit <= 0 {
		limit = 24 * time.Hour
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(limit/time.Second) {
			return limit, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), limit), true
	}
	return 0, false
}

// sleepCtx waits d or until ctx ends, whichever is first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
