package testenv

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// process is one server program run for a test: its command line, its log
// file and the URL that answers 200 once it is ready.
type process struct {
	t     testing.TB
	name  string // for messages and the log file's name
	bin   string
	args  []string
	dir   string
	ready string // readiness URL
	// readyClient polls ready; nil: plain HTTP.
	readyClient *http.Client
	cmd         *exec.Cmd
	logf        *os.File
	exited      chan struct{} // closed when the running program has exited
}

// newProcess describes a program; it is stopped when the test ends.
func newProcess(t testing.TB, name, bin, dir, ready string, args ...string) *process {
	p := &process{t: t, name: name, bin: bin, args: args, dir: dir, ready: ready}
	t.Cleanup(p.stop)
	return p
}

// start runs the program and waits until its readiness URL answers 200.
func (p *process) start(limit time.Duration) {
	p.t.Helper()
	logf, err := os.OpenFile(p.logPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		p.t.Fatal(err)
	}
	p.logf = logf
	p.cmd = exec.Command(p.bin, p.args...)
	p.cmd.Dir = p.dir
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	// Its own process group, so that a kill reaches any children too.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		p.t.Fatalf("start %s: %v", p.name, err)
	}
	exited := make(chan struct{})
	p.exited = exited
	go func(cmd *exec.Cmd) {
		_ = cmd.Wait()
		close(exited)
	}(p.cmd)
	p.waitReady(limit)
}

// waitReady polls the readiness URL; a program that exits fails at once.
func (p *process) waitReady(limit time.Duration) {
	p.t.Helper()
	client := p.readyClient
	if client == nil {
		client = &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{}}
	}
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if resp, err := client.Get(p.ready); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-p.exited:
			p.t.Fatalf("%s exited before it was ready; log:\n%s", p.name, tail(p.Log(), 4000))
		case <-time.After(100 * time.Millisecond): // polling a server's readiness
		}
	}
	p.t.Fatalf("%s not ready after %s; log:\n%s", p.name, limit, tail(p.Log(), 4000))
}

// Log returns what the program printed.
func (p *process) Log() string {
	b, _ := os.ReadFile(p.logPath())
	return string(b)
}

func (p *process) logPath() string { return filepath.Join(p.dir, p.name+".log") }

// stop kills the program (SIGKILL: tests need it gone at once) and waits
// for it to exit. Stopping a stopped program does nothing.
func (p *process) stop() {
	if p.cmd == nil || p.cmd.Process == nil || p.exited == nil {
		return
	}
	select {
	case <-p.exited:
	default:
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
	}
	p.exited = nil
	if p.logf != nil {
		_ = p.logf.Close()
		p.logf = nil
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// Program is a program a test runs until it ends (a model server, say).
type Program struct{ p *process }

// StartProgram runs bin with args in a fresh directory until the test ends
// and returns once ready answers 200 (within limit); the test fails if it
// exits first or is not ready by then, with what it printed.
func StartProgram(t testing.TB, name, ready string, limit time.Duration, bin string, args ...string) *Program {
	t.Helper()
	p := newProcess(t, name, bin, t.TempDir(), ready, args...)
	p.start(limit)
	return &Program{p}
}

// Log returns what the program printed.
func (g *Program) Log() string { return g.p.Log() }
