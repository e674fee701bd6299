package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// serveOutput is a bytes.Buffer safe for a writer and a reader.
type serveOutput struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *serveOutput) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *serveOutput) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// awaitServe polls until cond holds, failing the test after d.
func awaitServe(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// interruptServe sends SIGINT and waits for the serve that run started to
// exit with status 0.
func interruptServe(t *testing.T, code <-chan int, stderr *serveOutput, what string) {
	t.Helper()
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != exitOK {
			t.Errorf("%s exited %d; stderr:\n%s", what, c, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not exit after SIGINT", what)
	}
}

func writeServeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestServeWithoutUsersSaysHowToAddThem(t *testing.T) {
	cfg := writeServeConfig(t, "scrape:\n  targets: [http://127.0.0.1:1/metrics]\n")
	var stdout, stderr bytes.Buffer
	code := run([]string{"serve", "--config", cfg, "--log-file", "-"}, &stdout, &stderr)
	if code != exitFailure || !strings.Contains(stderr.String(), "nobody may connect") || !strings.Contains(stderr.String(), "serve:\n    users:") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
}

func TestServeDemoOverSSHThenSIGINT(t *testing.T) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := writeServeConfig(t, "serve:\n  host_key: "+filepath.Join(dir, "state", "host_key")+
		"\n  users:\n    - name: ana\n      role: operator\n      keys: [\""+
		strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))+"\"]\n")
	t.Setenv("XDG_STATE_HOME", dir) // the demo's audit log

	var stdout, stderr serveOutput
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"serve", "--demo", "--config", cfg, "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0", "--log-file", "-"}, &stdout, &stderr)
	}()
	listening := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)
	awaitServe(t, 30*time.Second, "the server to listen", func() bool { return listening.MatchString(stdout.String()) })
	addr := listening.FindStringSubmatch(stdout.String())[1]

	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "ana", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Close() }()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out serveOutput
	sess.Stdout = &out
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	awaitServe(t, 30*time.Second, "the demo fleet on the session", func() bool {
		s := ansi.Strip(out.String())
		return strings.Contains(s, "payments-fraud") && strings.Contains(s, "ana · operator")
	})

	// The HTTP listener beside the SSH server answers verdicts from the
	// same poller.
	verdicts := regexp.MustCompile(`verdicts: (http://127\.0\.0\.1:\d+/v1/verdict)`).FindStringSubmatch(stdout.String())
	if verdicts == nil {
		t.Fatalf("no verdicts line in:\n%s", stdout.String())
	}
	resp, err := http.Get(verdicts[1] + "?model=payments-frud")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"did_you_mean": [`) || !strings.Contains(string(body), "payments-fraud") {
		t.Errorf("GET /v1/verdict?model=payments-frud: %d %s", resp.StatusCode, body)
	}

	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	awaitServe(t, 30*time.Second, "the goodbye", func() bool { return strings.Contains(out.String(), "mltop is shutting down") })
	if err := sess.Wait(); err != nil {
		t.Errorf("session ended with %v, want status 0", err)
	}
	_ = client.Close()
	select {
	case c := <-code:
		if c != exitOK {
			t.Errorf("mltop serve exited %d; stderr:\n%s", c, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("mltop serve did not exit after SIGINT")
	}
	if !strings.Contains(stdout.String(), "shutting down; telling 1 open session(s)") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
	if st, err := os.Stat(filepath.Join(dir, "state", "host_key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("host key: %v, mode %v", err, st)
	}
}
