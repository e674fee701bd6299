package sshserve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/prometheus/common/model"
	gossh "golang.org/x/crypto/ssh"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/selfmetrics"
)

// wait bounds every wait for data in these tests.
const wait = 15 * time.Second

// The fixture fleet: two models the fake source reports.
const (
	modelA = "fraud-scorer"
	modelB = "churn-model"
)

// person is a key pair and the config entry that lists it.
type person struct {
	signer gossh.Signer
	line   string // authorized_keys form
	fp     string
	pem    []byte // the private key, OpenSSH format
}

func newPerson(t testing.TB) person {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	return person{
		signer: signer,
		pem:    pem.EncodeToMemory(block),
		line:   strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey()))),
		fp:     gossh.FingerprintSHA256(signer.PublicKey()),
	}
}

// fakeMetrics answers the fixture fleet: each model serves v3 (stable,
// 100 % of traffic) and still reports v2, the version a rollback returns
// to. It counts the queries.
type fakeMetrics struct{ queries atomic.Int64 }

func (f *fakeMetrics) Name() string { return "fake" }
func (f *fakeMetrics) Kind() string { return "prometheus" }
func (f *fakeMetrics) Query(ctx context.Context, expr string, at time.Time) (model.Vector, []string, error) {
	if _, ok := ctx.Deadline(); !ok {
		return nil, nil, errors.New("query without a deadline")
	}
	f.queries.Add(1)
	var v model.Vector
	add := func(value float64, labels model.Metric) {
		v = append(v, &model.Sample{Metric: labels, Value: model.SampleValue(value), Timestamp: model.TimeFromUnixNano(at.UnixNano())})
	}
	for i, name := range []string{modelA, modelB} {
		m := model.LabelValue(name)
		switch expr {
		case "rate":
			add(float64(10*(i+1)), model.Metric{"model": m, "version": "3"})
			add(0, model.Metric{"model": m, "version": "2"})
		case "weight":
			add(100, model.Metric{"model": m, "version": "3", "track": "stable"})
		}
	}
	return v, nil, nil
}

// env is a running server with a poller over the fake source, a webhook
// receiver for rollbacks and an audit log.
type env struct {
	t        testing.TB
	srv      *Server
	addr     string
	poller   *poll.Poller
	metrics  *selfmetrics.Metrics
	audit    *audit.Log
	webhooks atomic.Int64
	viewer   person
	operator person
	stranger person
}

type envOptions struct {
	maxSessions int
	idle        time.Duration
	refresh     time.Duration // >0: the poller runs on its own
	tweak       func(*Options)
	// twoPerson: rollbacks wait for a second operator, and the stranger
	// is listed as otto, an operator too.
	twoPerson bool
	// alertmanager is where silences go; "" = none configured.
	alertmanager string
}

func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	e := &env{t: t, viewer: newPerson(t), operator: newPerson(t), stranger: newPerson(t)}
	src := &fakeMetrics{}
	e.poller = poll.New(poll.Options{
		Metrics: src, Refresh: max(o.refresh, time.Second),
		Queries: []poll.Query{
			{Name: "request_rate", Role: fleet.RoleRequestRate, Expr: "rate"},
			{Name: "traffic_weight", Role: fleet.RoleTrafficWeight, Expr: "weight"},
		},
	})
	ctx, cancel := context.WithCancel(context.Background())
	var bg sync.WaitGroup
	if o.refresh > 0 {
		bg.Go(func() { _ = e.poller.Run(ctx) })
	} else {
		e.poller.PollOnce(ctx)
	}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.webhooks.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	}))
	e.audit = audit.New(filepath.Join(t.TempDir(), "audit.jsonl"))
	acts := config.Actions{
		Rollback:      config.Action{Kind: "webhook", URL: hook.URL + "/rollback", Timeout: 5 * time.Second},
		RequireReason: true,
	}
	if o.twoPerson {
		// The fixture's models have no tags: unknown tags need two people.
		acts.TwoPerson = map[string][]string{"risk_tier": {"high"}}
	}
	ex, err := actions.New(actions.Options{
		Actions: acts,
		Audit:   e.audit, Host: "test-host",
		Alertmanager: config.Alertmanager{URL: o.alertmanager, Timeout: 5 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	hk, err := LoadOrCreateHostKey(filepath.Join(t.TempDir(), "host", "key"))
	if err != nil {
		t.Fatal(err)
	}
	e.metrics = selfmetrics.New(selfmetrics.Options{Stats: e.poller.Stats})
	opts := Options{
		HostKey: hk,
		Users: []config.User{
			{Name: "vera", Role: config.RoleViewer, Keys: []string{e.viewer.line}},
			{Name: "olga", Role: config.RoleOperator, Keys: []string{e.operator.line}},
		},
		MaxSessions: o.maxSessions, IdleTimeout: o.idle,
		Hub: e.poller.Hub(), Actions: ex, Metrics: e.metrics,
	}
	if o.twoPerson {
		opts.Users = append(opts.Users, config.User{Name: "otto", Role: config.RoleOperator, Keys: []string{e.stranger.line}})
	}
	opts.UI.Context = "test"
	opts.UI.Theme = "dark"
	if o.tweak != nil {
		o.tweak(&opts)
	}
	e.srv, err = New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.addr = ln.Addr().String()
	served := make(chan error, 1)
	go func() { served <- e.srv.Serve(ln) }()
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), wait)
		defer scancel()
		if err := e.srv.Shutdown(sctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
		cancel()
		bg.Wait()
		hook.Close()
	})
	return e
}

// dial connects with auth methods; the host key is not checked (loopback).
func (e *env) dial(methods ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", e.addr, &gossh.ClientConfig{
		User: "someone", Auth: methods, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: wait,
	})
}

// terminal is a client session with a pty and its output collected.
type terminal struct {
	t      testing.TB
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser
	out    *output
}

// output collects what the session writes and wakes up waiters.
type output struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	close(o.changed)
	o.changed = make(chan struct{})
	return len(p), nil
}

// text is everything written so far, escape sequences removed.
func (o *output) text() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return ansi.Strip(o.buf.String())
}

func (o *output) raw() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// waitFor returns once the output contains s (escape sequences removed),
// or fails the test at the deadline.
func (o *output) waitFor(t testing.TB, s string) {
	t.Helper()
	deadline := time.After(wait)
	for {
		o.mu.Lock()
		ch := o.changed
		o.mu.Unlock()
		if strings.Contains(o.text(), s) {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("no %q in the session's output after %s:\n%s", s, wait, tail(o.text(), 2000))
		}
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

type termOptions struct {
	width, height int
	env           map[string]string
}

// open connects as p and starts a shell with a pty.
func (e *env) open(p person, o termOptions) *terminal {
	e.t.Helper()
	c, err := e.dial(gossh.PublicKeys(p.signer))
	if err != nil {
		e.t.Fatalf("connect: %v", err)
	}
	tm := &terminal{t: e.t, client: c, out: &output{changed: make(chan struct{})}}
	e.t.Cleanup(func() { _ = c.Close() })
	tm.sess, err = c.NewSession()
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range o.env {
		if err := tm.sess.Setenv(k, v); err != nil {
			e.t.Fatal(err)
		}
	}
	if o.width == 0 {
		o.width, o.height = 120, 40
	}
	if err := tm.sess.RequestPty("xterm-256color", o.height, o.width, gossh.TerminalModes{}); err != nil {
		e.t.Fatal(err)
	}
	tm.sess.Stdout = tm.out
	tm.sess.Stderr = tm.out
	if tm.stdin, err = tm.sess.StdinPipe(); err != nil {
		e.t.Fatal(err)
	}
	if err := tm.sess.Shell(); err != nil {
		e.t.Fatal(err)
	}
	return tm
}

// waitEnd waits for the session to end and returns its Wait error.
func (tm *terminal) waitEnd() error {
	tm.t.Helper()
	done := make(chan error, 1)
	go func() { done <- tm.sess.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(wait):
		tm.t.Fatalf("the session did not end within %s; output:\n%s", wait, tail(tm.out.text(), 2000))
		return nil
	}
}

// sessionOf finds the server's session of the user. Call it once the
// session has drawn: it is registered before its dashboard starts.
func (e *env) sessionOf(user string) *Session {
	e.t.Helper()
	for _, s := range e.srv.Sessions() {
		if s.Identity().User == user {
			return s
		}
	}
	e.t.Fatalf("no session of %s on the server", user)
	return nil
}
