package sshserve

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/ui/root"
)

// The load test's size: go test ./internal/sshserve -run TestLoad -v
// -load.sessions 20 -load.hold 30s reproduces docs/benchmarks.md.
var (
	loadSessions = flag.Int("load.sessions", 20, "TestLoad: concurrent sessions in the second phase")
	loadHold     = flag.Duration("load.hold", 4*time.Second, "TestLoad: how long each phase holds its sessions open")
)

// The clients run in a child process (this test binary again), so the
// server's heap holds only the server's side of each session.
const clientsEnv = "MLTOP_LOAD_CLIENTS" // "ADDR KEYFILE N"

// phase is what one phase of the load test measured.
type phase struct {
	sessions          int
	refreshes         uint64
	queries           uint64
	historyQueries    int
	heapPerSession    float64 // bytes
	goroutinesPerSess float64
}

// TestLoadOnePollerManyViewers holds one session, then N, against one
// server over the demo fleet, and compares the queries sent in each phase:
// the poller's and the graphs' query load must not grow with the viewers.
func TestLoadOnePollerManyViewers(t *testing.T) {
	if testing.Short() {
		t.Skip("load test: skipped with -short")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f, err := demo.Start(ctx, demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	cfg := wiring.DemoConfig(f)
	cfg.Refresh = time.Second
	cfg.Audit.Path = filepath.Join(t.TempDir(), "audit.jsonl")
	a, err := wiring.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	a.Start(ctx)
	a.RunPoller(ctx)
	defer a.Close()
	defer cancel()
	first := awaitModels(t, a.Poller.Hub())

	viewer := newPerson(t)
	hk, err := LoadOrCreateHostKey(filepath.Join(t.TempDir(), "host_key"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Options{
		HostKey: hk, Hub: a.Poller.Hub(), Actions: a.Actions,
		Users: []config.User{{Name: "load", Role: config.RoleViewer, Keys: []string{viewer.line}}},
		UI:    root.Options{Context: "demo", Theme: "dark", Refresh: cfg.Refresh, History: a.History, DriftHistory: a.DriftHistory},
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		sctx, scancel := context.WithTimeout(context.Background(), wait)
		defer scancel()
		if err := srv.Shutdown(sctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		<-served
	}()
	keyFile := writeClientKey(t, viewer)

	one := runPhase(t, a, ln.Addr().String(), keyFile, 1)
	many := runPhase(t, a, ln.Addr().String(), keyFile, *loadSessions)
	perRefresh := uint64(len(first.Queries)) // the most one refresh sends
	for _, p := range []phase{one, many} {
		t.Logf("%2d session(s) for %s: %d refreshes, %d poller queries, %d graph range queries; heap %.0f KiB and %.1f goroutines per session",
			p.sessions, *loadHold, p.refreshes, p.queries, p.historyQueries, p.heapPerSession/1024, p.goroutinesPerSess)
	}
	if diff := absDiff(many.queries, one.queries); diff > perRefresh {
		t.Errorf("%d sessions made the poller send %d queries, one session %d: more than one refresh (%d queries) apart",
			many.sessions, many.queries, one.queries, perRefresh)
	}
	if absDiff(many.refreshes, one.refreshes) > 1 {
		t.Errorf("refreshes: %d with %d sessions, %d with one", many.refreshes, many.sessions, one.refreshes)
	}
	if many.historyQueries > one.historyQueries+len(first.Queries) {
		t.Errorf("graph range queries: %d with %d sessions, %d with one", many.historyQueries, many.sessions, one.historyQueries)
	}
}

func absDiff(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}

// awaitModels waits for a snapshot with models.
func awaitModels(t *testing.T, hub *poll.Hub) fleet.Snapshot {
	t.Helper()
	ch, unsubscribe := hub.Subscribe()
	defer unsubscribe()
	deadline := time.After(wait)
	for {
		select {
		case s := <-ch:
			if len(s.Models) > 0 {
				return s
			}
		case <-deadline:
			t.Fatal("no snapshot with models from the demo fleet")
		}
	}
}

// runPhase starts n client sessions in a child process, measures the
// server once they all show the fleet, holds them for -load.hold, and
// counts the poller's queries during the hold and the graphs' range
// queries from the sessions' start to the end of the hold.
func runPhase(t *testing.T, a *wiring.App, addr, keyFile string, n int) phase {
	t.Helper()
	heap0, gr0 := liveHeap(), runtime.NumGoroutine()
	h0 := a.History.QueriesSent() // opening a session fetches its graphs
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoadClientsProcess$", "-test.v")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %s %d", clientsEnv, addr, keyFile, n))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !awaitLine(lines, "ready") {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the clients did not get ready")
	}
	p := phase{sessions: n}
	p.heapPerSession = float64(int64(liveHeap())-int64(heap0)) / float64(n)
	p.goroutinesPerSess = float64(runtime.NumGoroutine()-gr0) / float64(n)
	s0 := a.Poller.Stats()
	<-time.After(*loadHold) // the load itself: sessions open for this long
	s1, h1 := a.Poller.Stats(), a.History.QueriesSent()
	if _, err := io.WriteString(stdin, "quit\n"); err != nil {
		t.Fatal(err)
	}
	ok := awaitLine(lines, "done")
	_, _ = io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil || !ok {
		t.Fatalf("clients: %v (done line seen: %v)", err, ok)
	}
	p.refreshes, p.queries = s1.Refreshes-s0.Refreshes, s1.QueriesSent-s0.QueriesSent
	p.historyQueries = h1 - h0
	return p
}

func awaitLine(sc *bufio.Scanner, word string) bool {
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), word) {
			return true
		}
	}
	return false
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// writeClientKey writes p's private key for the client process.
func writeClientKey(t *testing.T, p person) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "client_key")
	if err := os.WriteFile(path, p.pem, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLoadClientsProcess is the load test's client side, run in a child
// process: N sessions with a 120x40 pty, each drained continuously. It
// prints "ready" once every session shows a model, waits for "quit" on
// stdin, presses q in each and prints "done" once all ended with status 0.
func TestLoadClientsProcess(t *testing.T) {
	spec := os.Getenv(clientsEnv)
	if spec == "" {
		t.Skip("the load test's client process; run by TestLoadOnePollerManyViewers")
	}
	var addr, keyFile string
	var n int
	if _, err := fmt.Sscanf(spec, "%s %s %d", &addr, &keyFile, &n); err != nil {
		t.Fatalf("%s=%q: %v", clientsEnv, spec, err)
	}
	b, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.ParsePrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, addr: addr}
	p := person{signer: signer}
	terms := make([]*terminal, n)
	var wg sync.WaitGroup
	for i := range terms {
		wg.Go(func() {
			terms[i] = e.open(p, termOptions{width: 120, height: 40})
		})
	}
	wg.Wait()
	for _, tm := range terms {
		tm.out.waitFor(t, "payments-fraud")
	}
	fmt.Println("ready")
	if !awaitLine(bufio.NewScanner(os.Stdin), "quit") {
		t.Fatal("no quit from the parent")
	}
	for _, tm := range terms {
		if _, err := tm.stdin.Write([]byte("q")); err != nil {
			t.Fatal(err)
		}
	}
	for i, tm := range terms {
		if err := tm.waitEnd(); err != nil {
			t.Errorf("session %d: %v", i, err)
		}
	}
	fmt.Println("done " + strconv.Itoa(n))
}
