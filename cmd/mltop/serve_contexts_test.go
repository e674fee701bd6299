package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/mltop/mltop/internal/config"
)

// sshUser is a serve user with a fresh key.
type sshUser struct {
	name   string
	signer gossh.Signer
}

func newSSHUser(t *testing.T, name string) sshUser {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return sshUser{name: name, signer: signer}
}

func (u sshUser) key() string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(u.signer.PublicKey())))
}

// terminal is one SSH session's screen and keyboard.
type sshTerm struct {
	out serveOutput
	in  io.Writer
}

func (u sshUser) connect(t *testing.T, addr string) *sshTerm {
	t.Helper()
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: u.name, Auth: []gossh.AuthMethod{gossh.PublicKeys(u.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	term := &sshTerm{}
	sess.Stdout = &term.out
	if term.in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 40, 160, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return term
}

// sawSince reports whether the screen showed every text after mark bytes.
func (term *sshTerm) sawSince(mark int, texts ...string) bool {
	s := term.out.String()
	s = ansi.Strip(s[min(mark, len(s)):])
	for _, x := range texts {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}

func (term *sshTerm) typed(t *testing.T, s string) int {
	t.Helper()
	mark := len(term.out.String())
	if _, err := io.WriteString(term.in, s); err != nil {
		t.Fatal(err)
	}
	return mark
}

// mltop serve over two contexts: each user sees the contexts serve.users
// allows, starting on the server's when they may; :ctx switches among
// theirs and says so for one they may not open.
func TestServeContextsPerUser(t *testing.T) {
	t.Parallel()
	tc := startContextServers(t, nil)
	ana, bob, carl := newSSHUser(t, "ana"), newSSHUser(t, "bob"), newSSHUser(t, "carl")
	tc.Cfg.Serve = config.Serve{
		Listen: "127.0.0.1:0", HostKey: filepath.Join(t.TempDir(), "host_key"), MaxSessions: 8, IdleTimeout: time.Hour,
		Users: []config.User{
			{Name: "ana", Role: config.RoleOperator, Keys: []string{ana.key()}},
			{Name: "bob", Role: config.RoleViewer, Keys: []string{bob.key()}, Contexts: []string{"staging"}},
			{Name: "carl", Role: config.RoleViewer, Keys: []string{carl.key()}, Contexts: []string{"qa"}},
		},
	}
	for _, c := range tc.Cfg.Contexts {
		c.Config.Serve = tc.Cfg.Serve
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr serveOutput
	code := make(chan int, 1)
	go func() {
		code <- runServe(ctx, tc.Cfg, serveFlags{}, "", slog.New(slog.NewTextHandler(io.Discard, nil)), &stdout, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case c := <-code:
			if c != exitOK {
				t.Errorf("serve exited %d: %s", c, stderr.String())
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	listening := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)
	awaitServe(t, 30*time.Second, "the server to listen", func() bool { return listening.MatchString(stdout.String()) })
	addr := listening.FindStringSubmatch(stdout.String())[1]

	// bob may open staging only: he starts there, a viewer (no action keys).
	bt := bob.connect(t, addr)
	awaitServe(t, 60*time.Second, "staging's fleet for bob", func() bool { return bt.sawSince(0, "churn", "ranker", "staging", "viewer") })
	if bt.sawSince(0, "fraud") {
		t.Fatalf("bob saw prod's model:\n%s", ansi.Strip(bt.out.String()))
	}
	mark := bt.typed(t, ":ctx prod\r")
	awaitServe(t, 30*time.Second, "prod refused to bob", func() bool { return bt.sawSince(mark, `no context named "prod"`) })

	// carl's list names no context of the config: he sees none.
	ct := carl.connect(t, addr)
	awaitServe(t, 30*time.Second, "carl told", func() bool { return ct.sawSince(0, "none of the contexts serve.users lists for carl") })
	if ct.sawSince(0, "fraud") || ct.sawSince(0, "churn") {
		t.Fatalf("carl saw a fleet:\n%s", ansi.Strip(ct.out.String()))
	}

	// ana may open both: she starts on the server's context, prod.
	at := ana.connect(t, addr)
	awaitServe(t, 60*time.Second, "prod's fleet for ana", func() bool { return at.sawSince(0, "fraud", "iris", "prod") })
	mark = at.typed(t, ":ctx staging\r")
	awaitServe(t, 60*time.Second, "staging for ana", func() bool { return at.sawSince(mark, "churn", "ranker") })
}
