package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
)

// writeLargeAuditLog writes n records (about 500 bytes each) to path.
func writeLargeAuditLog(t testing.TB, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		r := audit.Record{
			Time: at.Add(time.Duration(i) * time.Second), ID: fmt.Sprintf("act-%08d", i/2), State: audit.Succeeded,
			Actor: audit.Actor{User: "ana", Role: "operator", Host: "laptop"}, Action: "rollback",
			Model:  fmt.Sprintf("model-%03d", i%500),
			Before: map[string]string{"alias": "champion", "version": "8"},
			After:  map[string]string{"alias": "champion", "version": "7"},
			Reason: strings.Repeat("error rate above threshold; ", 8), Adapter: "mlflow-alias",
			Target: "http://127.0.0.1:5000/api/2.0/mlflow/registered-models/alias",
		}
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// heapProbe is an output that measures the live heap every so many
// lines written to it, keeping the largest.
type heapProbe struct {
	lines, every int
	peak         uint64
}

func (h *heapProbe) Write(p []byte) (int, error) {
	before := h.lines
	h.lines += bytes.Count(p, []byte{'\n'})
	if before == 0 || before/h.every != h.lines/h.every {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		h.peak = max(h.peak, ms.HeapAlloc)
	}
	return len(p), nil
}

// `mltop audit` prints a large log as it reads it: the live heap while it
// prints does not grow with the log (about 45 MB here, which held whole
// takes several times that).
func TestAuditStreamsALargeLog(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 45 MB log")
	}
	home := isolate(t)
	path := filepath.Join(home, "audit.jsonl")
	cfg := filepath.Join(home, "mltop.yaml")
	if err := os.WriteFile(cfg, []byte("audit: {path: "+path+"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	writeLargeAuditLog(t, path, 100_000)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	for _, format := range []string{"text", "json"} {
		out := &heapProbe{every: 5000}
		var errb strings.Builder
		if code := run([]string{"audit", "--config", cfg, "--format", format}, out, &errb); code != exitOK {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		if out.lines < 100_000 {
			t.Fatalf("%s: %d lines printed, want 100000", format, out.lines)
		}
		if grew := int64(out.peak) - int64(base.HeapAlloc); grew > 16<<20 {
			t.Errorf("%s: the live heap grew by %d MiB while printing the log; want it not to grow with the log", format, grew>>20)
		}
	}
}
