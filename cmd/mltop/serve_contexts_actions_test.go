package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/sshserve"
	"github.com/mltop/mltop/ui/contexts"
	"github.com/mltop/mltop/ui/root"
)

// dialogState is what a session's probe saw: the context shown once its
// fleet has a model under the cursor (a switch between two contexts of one
// fleet redraws little, so the screen cannot tell), and of its action
// dialog: armed says when it starts taking keys (until then it ignores
// them, by design), open whether one is on screen.
type dialogState struct {
	armed chan struct{}
	open  atomic.Bool
	shown atomic.Value // string
}

type dialogProbe struct {
	tea.Model
	st  *dialogState
	was bool
}

func (p dialogProbe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := p.Model.Update(msg)
	p.Model = m
	model, armed := "", false
	if sw, ok := m.(*contexts.Model); ok {
		if r := sw.Root(sw.Shown()); r != nil {
			model, armed = r.ActionDialog()
			if r.FleetSelected() != "" {
				p.st.shown.Store(sw.Shown())
			}
		}
	}
	p.st.open.Store(model != "")
	if armed && !p.was {
		select {
		case p.st.armed <- struct{}{}:
		default:
		}
	}
	p.was = armed
	return p, cmd
}

// hookCalls counts a webhook's calls by path.
type hookCalls struct {
	mu     sync.Mutex
	bodies map[string][]string
}

func (h *hookCalls) of(path string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.bodies[path]...)
}

// mltop serve over four contexts: prod (the server's), staging (a retrain
// webhook), qa (read-only) and dr (two people for every action). An
// operator switches over SSH and acts in each through its own executor.
func TestServeActsInEveryContext(t *testing.T) {
	t.Parallel()
	calls := &hookCalls{bodies: map[string][]string{}}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		calls.mu.Lock()
		calls.bodies[r.URL.Path] = append(calls.bodies[r.URL.Path], string(b))
		calls.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(hook.Close)
	retrain := func(path string) string {
		return "actions:\n  retrain:\n    kind: webhook\n    url: " + hook.URL + path + "\n"
	}
	tc := startContextServers(t, map[string]string{"staging": retrain("/staging")})
	dir := t.TempDir()
	for _, c := range []struct{ name, extra string }{
		{"qa", "read_only: true\n" + retrain("/qa")},
		{"dr", retrain("/dr") + "  two_person: {risk_tier: [high]}\n"},
	} {
		yaml := "window: 10s\nrefresh: 1s\nprometheus:\n  url: " + tc.Staging.URL + "\naudit:\n  path: " +
			filepath.Join(dir, c.name+"-audit.jsonl") + "\n" + c.extra
		cfg, err := config.Parse(c.name+".yaml", []byte(yaml))
		if err != nil {
			t.Fatalf("context %s: %v", c.name, err)
		}
		cfg.ContextName = c.name
		tc.Cfg.Contexts = append(tc.Cfg.Contexts, config.Context{Name: c.name, Config: cfg})
	}
	ana, dan, bob := newSSHUser(t, "ana"), newSSHUser(t, "dan"), newSSHUser(t, "bob")
	tc.Cfg.Serve.Users = []config.User{
		{Name: "ana", Role: config.RoleOperator, Keys: []string{ana.key()}},
		{Name: "dan", Role: config.RoleOperator, Keys: []string{dan.key()}},
		{Name: "bob", Role: config.RoleViewer, Keys: []string{bob.key()}, Contexts: []string{"staging"}},
	}

	ctx, cancel := context.WithCancel(context.Background())
	log := slog.New(slog.DiscardHandler)
	ctxs := &serveContexts{ctx: ctx, log: log, cfg: tc.Cfg, first: "prod"}
	t.Cleanup(func() { cancel(); ctxs.close() })
	prod, err := ctxs.app(ctx, tc.Cfg.Contexts[0])
	if err != nil {
		t.Fatal(err)
	}
	dialogs := map[string]*dialogState{}
	for _, u := range []string{"ana", "dan", "bob"} {
		dialogs[u] = &dialogState{armed: make(chan struct{}, 1)}
	}
	hk, err := sshserve.LoadOrCreateHostKey(filepath.Join(dir, "host_key"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sshserve.New(sshserve.Options{
		HostKey: hk, Users: tc.Cfg.Serve.Users, Hub: prod.Poller.Hub(), Actions: prod.Actions, Logger: log,
		NewModel: func(s *sshserve.Session) tea.Model {
			return dialogProbe{Model: ctxs.model(s), st: dialogs[s.Identity().User]}
		},
		UI: root.Options{Theme: "dark", Refresh: time.Second, ContextName: "prod", ContextColor: "red"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer scancel()
		_ = srv.Shutdown(sctx)
	})
	addr := ln.Addr().String()
	awaitArmed := func(term *sshTerm, user, what string) {
		t.Helper()
		select {
		case <-dialogs[user].armed:
		case <-time.After(30 * time.Second):
			t.Fatalf("no %s for %s:\n%s", what, user, ansi.Strip(term.out.String()))
		}
	}
	// confirm retrains the model under the cursor for reason, and closes
	// the dialog once it shows the outcome.
	confirm := func(term *sshTerm, user, reason string) {
		t.Helper()
		select { // a dialog armed before is over
		case <-dialogs[user].armed:
		default:
		}
		term.typed(t, "T")
		awaitArmed(term, user, "retrain dialog")
		term.typed(t, reason+"\t\t\r")
		awaitArmed(term, user, "retrain outcome")
		term.typed(t, "q")
		awaitServe(t, 30*time.Second, "the dialog closed", func() bool { return !dialogs[user].open.Load() })
	}
	switchTo := func(term *sshTerm, user, name string) {
		t.Helper()
		term.typed(t, ":ctx "+name+"\r")
		awaitServe(t, 60*time.Second, name+"'s fleet", func() bool {
			return dialogs[user].shown.Load() == name
		})
	}

	// ana retrains staging's model: staging's webhook, staging's audit log,
	// as ana with her key.
	at := ana.connect(t, addr)
	awaitServe(t, 60*time.Second, "prod's fleet for ana", func() bool { return at.sawSince(0, "fraud", "prod") })
	switchTo(at, "ana", "staging")
	confirm(at, "ana", "weekly")
	awaitServe(t, 30*time.Second, "staging's webhook", func() bool { return len(calls.of("/staging")) == 1 })
	stagingAudit := tc.Cfg.Contexts[1].Config.Audit.Path
	var recs string
	awaitServe(t, 30*time.Second, "staging's audit record", func() bool {
		b, _ := os.ReadFile(stagingAudit)
		recs = string(b)
		return strings.Contains(recs, `"state":"succeeded"`)
	})
	fp := gossh.FingerprintSHA256(ana.signer.PublicKey())
	for _, line := range strings.Split(strings.TrimSpace(recs), "\n") {
		for _, want := range []string{`"context":"staging"`, `"user":"ana"`, fp} {
			if !strings.Contains(line, want) {
				t.Errorf("staging's audit record without %s: %s", want, line)
			}
		}
	}
	if b, err := os.ReadFile(tc.Cfg.Contexts[0].Config.Audit.Path); err == nil && len(b) > 0 {
		t.Errorf("prod's audit log holds records: %s", b)
	}

	// bob, a viewer, may open staging but not act there.
	bt := bob.connect(t, addr)
	awaitServe(t, 60*time.Second, "staging for bob", func() bool { return bt.sawSince(0, "churn", "staging") })
	mark := bt.typed(t, "T")
	awaitServe(t, 30*time.Second, "bob refused", func() bool { return bt.sawSince(mark, "retrain needs the operator role; you have viewer") })

	// qa is read-only: nothing is planned there.
	switchTo(at, "ana", "qa")
	mark = at.typed(t, "T")
	awaitServe(t, 30*time.Second, "qa refuses", func() bool { return at.sawSince(mark, "read-only in context qa") })

	// dr needs two people: ana's retrain waits in dr until dan approves it
	// there, and dr's executor sends it.
	switchTo(at, "ana", "dr")
	confirm(at, "ana", "nightly")
	awaitServe(t, 30*time.Second, "ana's retrain held", func() bool { return at.sawSince(0, "a second operator must approve it") })
	if n := len(calls.of("/dr")); n != 0 {
		t.Fatalf("dr's webhook called %d times before the approval", n)
	}
	dt := dan.connect(t, addr)
	awaitServe(t, 60*time.Second, "prod for dan", func() bool { return dt.sawSince(0, "fraud") })
	switchTo(dt, "dan", "dr")
	awaitServe(t, 30*time.Second, "dr's waiting request for dan", func() bool { return dt.sawSince(0, "1 approval waiting") })
	mark = dt.typed(t, ":approvals\r")
	awaitServe(t, 30*time.Second, "dr's waiting list", func() bool { return dt.sawSince(mark, "asked by ana") })
	dt.typed(t, "a")
	awaitServe(t, 30*time.Second, "dr's webhook", func() bool { return len(calls.of("/dr")) == 1 })
	awaitServe(t, 30*time.Second, "dr's audit names both", func() bool {
		b, _ := os.ReadFile(tc.Cfg.Contexts[3].Config.Audit.Path)
		return strings.Contains(string(b), `"state":"succeeded"`) && strings.Contains(string(b), `"approved_by":"dan"`) &&
			strings.Contains(string(b), `"context":"dr"`)
	})
	if n := len(calls.of("/qa")); n != 0 {
		t.Errorf("read-only qa's webhook called %d times", n)
	}
}
