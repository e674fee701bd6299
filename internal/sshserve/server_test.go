package sshserve

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

func TestUnknownKeyIsRejected(t *testing.T) {
	e := newEnv(t, envOptions{})
	c, err := e.dial(gossh.PublicKeys(e.stranger.signer))
	if err == nil {
		_ = c.Close()
		t.Fatal("a key not in the config got in")
	}
	if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("error %v, want an authentication failure", err)
	}
}

func TestPasswordAndKeyboardInteractiveAreRejected(t *testing.T) {
	e := newEnv(t, envOptions{})
	for name, m := range map[string]gossh.AuthMethod{
		"password": gossh.Password("vera"),
		"keyboard-interactive": gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return []string{"vera"}, nil
		}),
	} {
		c, err := e.dial(m)
		if err == nil {
			_ = c.Close()
			t.Errorf("%s authentication got in", name)
			continue
		}
		if !strings.Contains(err.Error(), "unable to authenticate") || !strings.Contains(err.Error(), "no supported methods remain") {
			t.Errorf("%s: error %v, want no supported method", name, err)
		}
	}
}

func TestViewerSeesTheFleetAndCannotRollBack(t *testing.T) {
	e := newEnv(t, envOptions{})
	tm := e.open(e.viewer, termOptions{})
	tm.out.waitFor(t, modelA)
	tm.out.waitFor(t, "vera · viewer")

	s := e.sessionOf("vera")
	if id := s.Identity(); id.Role != config.RoleViewer || id.Fingerprint != e.viewer.fp {
		t.Errorf("identity %+v, want viewer with fingerprint %s", id, e.viewer.fp)
	}
	// Whatever actor a request names, the session's key decides.
	res := s.Execute(context.Background(), actions.Request{
		Action: actions.Rollback, Model: modelA, To: "2", Reason: "bad release",
		Actor: actions.Actor{User: "olga", Role: config.RoleOperator},
	})
	if res.Outcome != actions.Refused || !res.Recorded {
		t.Fatalf("viewer's rollback: %+v, want refused and recorded", res)
	}
	if !strings.Contains(res.Message, "operator role") {
		t.Errorf("refusal %q does not name the role needed", res.Message)
	}
	if n := e.webhooks.Load(); n != 0 {
		t.Errorf("the rollback webhook was called %d times for a viewer", n)
	}
	recs := e.records(t)
	if len(recs) != 1 || recs[0].State != audit.Refused {
		t.Fatalf("audit log %+v, want one refused record", recs)
	}
	if a := recs[0].Actor; a.User != "vera" || a.Role != config.RoleViewer || a.KeyFingerprint != e.viewer.fp {
		t.Errorf("recorded actor %+v, want vera, viewer, %s", a, e.viewer.fp)
	}
	awaitCounter(t, e.metrics, "mltop_actions_total", "refused", 1)
}

func TestOperatorRollsBackWithTheirFingerprintRecorded(t *testing.T) {
	e := newEnv(t, envOptions{})
	tm := e.open(e.operator, termOptions{})
	tm.out.waitFor(t, modelB)
	tm.out.waitFor(t, "olga · operator")

	res := e.sessionOf("olga").Execute(context.Background(), actions.Request{
		Action: actions.Rollback, Model: modelA, To: "2", Reason: "bad release",
	})
	if res.Outcome != actions.Succeeded || !res.Recorded {
		t.Fatalf("operator's rollback: %+v, want succeeded and recorded", res)
	}
	if n := e.webhooks.Load(); n != 1 {
		t.Errorf("the rollback webhook was called %d times, want 1", n)
	}
	recs := e.records(t)
	var states []audit.State
	for _, r := range recs {
		states = append(states, r.State)
		if r.Actor.User != "olga" || r.Actor.Role != config.RoleOperator || r.Actor.KeyFingerprint != e.operator.fp {
			t.Errorf("recorded actor %+v, want olga, operator, %s", r.Actor, e.operator.fp)
		}
	}
	if len(states) != 2 || states[0] != audit.Requested || states[1] != audit.Succeeded {
		t.Errorf("recorded states %v, want requested then succeeded", states)
	}
}

func (e *env) records(t *testing.T) []audit.Record {
	t.Helper()
	recs, torn, err := e.audit.Read()
	if err != nil || torn != 0 {
		t.Fatalf("read audit log: %v (torn %d)", err, torn)
	}
	return recs
}

// widthProbe wraps a session's dashboard and records the width of the
// frames it draws.
type widthProbe struct {
	tea.Model
	widths chan int
}

func (p widthProbe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := p.Model.Update(msg)
	p.Model = m
	return p, cmd
}

func (p widthProbe) View() tea.View {
	v := p.Model.View()
	w := 0
	for _, l := range strings.Split(v.Content, "\n") {
		w = max(w, lipgloss.Width(l))
	}
	select {
	case p.widths <- w:
	default: // the test reads the latest widths only
	}
	return v
}

func TestWindowResizeReachesTheDashboard(t *testing.T) {
	widths := make(chan int, 64)
	e := newEnv(t, envOptions{tweak: func(o *Options) {
		o.NewModel = func(s *Session) tea.Model { return widthProbe{Model: s.Dashboard(), widths: widths} }
	}})
	tm := e.open(e.viewer, termOptions{width: 100, height: 30})
	tm.out.waitFor(t, modelA)
	awaitWidth(t, widths, 100)
	if err := tm.sess.WindowChange(40, 150); err != nil {
		t.Fatal(err)
	}
	awaitWidth(t, widths, 150)
	if err := tm.sess.WindowChange(24, 80); err != nil {
		t.Fatal(err)
	}
	awaitWidth(t, widths, 80)
}

func awaitWidth(t *testing.T, widths <-chan int, want int) {
	t.Helper()
	deadline := time.After(wait)
	last := -1
	for {
		select {
		case w := <-widths:
			if w == want {
				return
			}
			last = w
		case <-deadline:
			t.Fatalf("no frame %d cells wide; the last was %d", want, last)
		}
	}
}

func TestQuitEndsTheSessionCleanly(t *testing.T) {
	e := newEnv(t, envOptions{})
	tm := e.open(e.viewer, termOptions{})
	tm.out.waitFor(t, modelA)
	if _, err := tm.stdin.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if err := tm.waitEnd(); err != nil {
		t.Errorf("session ended with %v, want exit status 0", err)
	}
	// The terminal is given back: the alternate screen is left.
	if raw := tm.out.raw(); !strings.Contains(raw, "\x1b[?1049l") {
		t.Errorf("the alternate screen was not left: %q", tail(raw, 200))
	}
	if n := len(e.srv.Sessions()); n != 0 {
		t.Errorf("%d sessions still registered after quitting", n)
	}
}

func TestNoTerminalGetsOneLineAndStatus1(t *testing.T) {
	e := newEnv(t, envOptions{})
	c, err := e.dial(gossh.PublicKeys(e.viewer.signer))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("")
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("exit %v, want status 1", err)
	}
	if got := strings.TrimSpace(string(out)); got != "mltop serve needs a terminal: connect with ssh -t." {
		t.Errorf("output %q", got)
	}
}

func TestCommandIsRefused(t *testing.T) {
	e := newEnv(t, envOptions{})
	c, err := e.dial(gossh.PublicKeys(e.viewer.signer))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("cat /etc/passwd")
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 || !strings.Contains(string(out), "dashboard only") {
		t.Errorf("exit %v, output %q: want status 1 and a refusal", err, out)
	}
}

func TestSessionsBeyondTheLimitAreTurnedAwayPolitely(t *testing.T) {
	e := newEnv(t, envOptions{maxSessions: 1})
	first := e.open(e.viewer, termOptions{})
	first.out.waitFor(t, modelA)
	second := e.open(e.operator, termOptions{})
	err := second.waitEnd()
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("second session ended with %v, want status 1", err)
	}
	if got := strings.TrimSpace(second.out.text()); got != "mltop: all 1 sessions are in use; try again later." {
		t.Errorf("second session saw %q", got)
	}
	if got := counterValue(t, e.metrics, "mltop_ssh_sessions_refused_total", "full"); got != 1 {
		t.Errorf("refused{reason=full} = %v, want 1", got)
	}
	// The first session is untouched.
	if _, err := first.stdin.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if err := first.waitEnd(); err != nil {
		t.Errorf("first session: %v", err)
	}
}

func TestIdleSessionIsClosedWithAMessage(t *testing.T) {
	e := newEnv(t, envOptions{idle: 300 * time.Millisecond})
	tm := e.open(e.viewer, termOptions{})
	tm.out.waitFor(t, modelA)
	if err := tm.waitEnd(); err != nil {
		t.Errorf("idle session ended with %v, want status 0", err)
	}
	if !strings.Contains(tm.out.text(), "session closed after 300ms without input") {
		t.Errorf("no idle message in %q", tail(tm.out.text(), 300))
	}
}

func TestShutdownTellsUsersAndWaits(t *testing.T) {
	e := newEnv(t, envOptions{})
	a := e.open(e.viewer, termOptions{})
	b := e.open(e.operator, termOptions{})
	a.out.waitFor(t, modelA)
	b.out.waitFor(t, modelA)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- e.srv.Shutdown(ctx) }()
	for _, tm := range []*terminal{a, b} {
		tm.out.waitFor(t, "mltop is shutting down")
		if err := tm.waitEnd(); err != nil {
			t.Errorf("session ended with %v, want status 0", err)
		}
		// As ssh does once its session is over.
		_ = tm.client.Close()
	}
	if err := <-shut; err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if c, err := e.dial(gossh.PublicKeys(e.viewer.signer)); err == nil {
		_ = c.Close()
		t.Error("a connection was accepted after shutdown")
	}
}

func TestShutdownWaitIsBounded(t *testing.T) {
	e := newEnv(t, envOptions{})
	tm := e.open(e.viewer, termOptions{})
	tm.out.waitFor(t, modelA)
	// This client never hangs up.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := e.srv.Shutdown(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("shutdown: %v, want the deadline", err)
	}
	tm.out.waitFor(t, "mltop is shutting down")
	if n := len(e.srv.Sessions()); n != 0 {
		t.Errorf("%d sessions left after shutdown", n)
	}
}

func TestEachSessionHasItsOwnColours(t *testing.T) {
	e := newEnv(t, envOptions{})
	colour := e.open(e.viewer, termOptions{})
	plain := e.open(e.operator, termOptions{env: map[string]string{"NO_COLOR": "1"}})
	colour.out.waitFor(t, modelA)
	plain.out.waitFor(t, modelA)
	if !hasColor(colour.out.raw()) {
		t.Error("the session without NO_COLOR drew no colour")
	}
	if hasColor(plain.out.raw()) {
		t.Error("the session with NO_COLOR drew colours")
	}
}
