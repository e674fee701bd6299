package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// memChildEnv carries the arguments of a command run in a child process,
// whose peak memory can then be read on its own.
const memChildEnv = "MLTOP_TEST_MEMORY_CHILD_ARGS"

// TestMemoryChild is the child: it runs the command in memChildEnv and
// exits with its code. Without the variable it does nothing.
func TestMemoryChild(t *testing.T) {
	raw := os.Getenv(memChildEnv)
	if raw == "" {
		t.Skip("runs only as the child of a memory test")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	os.Exit(run(args, os.Stdout, os.Stderr))
}

// peakRSS runs mltop with args in a child process and returns its peak
// resident memory in MiB, and what it wrote.
func peakRSS(t *testing.T, args ...string) (mib int64, out string) {
	t.Helper()
	raw, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^TestMemoryChild$")
	cmd.Env = append(os.Environ(), memChildEnv+"="+string(raw))
	b, _ := cmd.CombinedOutput()
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no resource usage on this system")
	}
	return ru.Maxrss >> 10, string(b) // Linux reports KiB
}

// checkPeak fails when mib is over maxPeakMiB, except under the race
// detector.
func checkPeak(t *testing.T, mib int64) {
	t.Helper()
	if mib >= maxPeakMiB && !raceEnabled {
		t.Errorf("peak RSS %d MiB, want under %d", mib, maxPeakMiB)
	}
}

// endlessPrometheus answers every query with a vector that never ends.
func endlessPrometheus(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[`)
		series := []byte(strings.Repeat(`{"metric":{"model":"m","version":"1"},"value":[1,"1"]},`, 1000))
		for {
			if _, err := w.Write(series); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// maxPeakMiB is the most memory mltop may take whatever a server sends or
// a secret file holds.
const maxPeakMiB = 300

// A Prometheus whose every answer never ends: snapshot stops each at the
// limit, says so, and its peak memory stays under maxPeakMiB.
func TestEndlessPrometheusAnswerBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 200 MiB of answers")
	}
	isolate(t)
	srv := endlessPrometheus(t)
	mib, out := peakRSS(t, "snapshot", "--prometheus", srv.URL, "--format", "json")
	t.Logf("snapshot against an endless Prometheus: peak RSS %d MiB", mib)
	checkPeak(t, mib)
	if !strings.Contains(out, "prometheus.max_answer_mib (200 MiB)") {
		t.Errorf("output does not name the limit:\n%s", clip(out))
	}
}

// bearer_token_file: /dev/zero is refused at 64 KiB, not read until memory
// runs out.
func TestDevZeroTokenBoundedMemory(t *testing.T) {
	home := isolate(t)
	srv := endlessPrometheus(t)
	cfg := filepath.Join(home, "mltop.yaml")
	if err := os.WriteFile(cfg, []byte("prometheus:\n  url: "+srv.URL+"\n  bearer_token_file: /dev/zero\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mib, out := peakRSS(t, "snapshot", "--config", cfg, "--format", "json")
	t.Logf("snapshot with bearer_token_file /dev/zero: peak RSS %d MiB", mib)
	checkPeak(t, mib)
	if !strings.Contains(out, "/dev/zero is larger than 64 KiB") {
		t.Errorf("output does not say the token file is too large:\n%s", clip(out))
	}
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
