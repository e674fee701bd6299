package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/chaos"
)

// The command-level limits of the chaos suite: each command waits at most
// chaosWait; the slack covers start, shutdown and the race detector.
const (
	chaosWait    = 2 * time.Second
	chaosSlack   = 4 * time.Second
	chaosHeapMiB = 300
)

// chaosWorld is the fakes one case runs against.
type chaosWorld struct {
	prom   chaos.PromMode
	mlflow chaos.MLflowMode
	target chaos.ScrapeMode
}

// config starts the fakes and writes a config naming them.
func (w chaosWorld) config(t *testing.T) string {
	t.Helper()
	done := make(chan struct{})
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "audit: {path: %s}\n", filepath.Join(dir, "audit.jsonl"))
	if w.prom != "" {
		p := chaos.NewPrometheus(w.prom, done)
		t.Cleanup(p.Close)
		fmt.Fprintf(&b, "prometheus: {url: %s, timeout: 1s, max_answer_mib: 64}\n", p.URL)
	}
	if w.target != "" {
		s := chaos.NewTarget(w.target, done)
		t.Cleanup(s.Close)
		fmt.Fprintf(&b, "scrape: {interval: 1s, timeout: 1s, targets: [%s]}\n", s.URL)
	}
	if w.mlflow != "" {
		m := chaos.NewMLflow(w.mlflow, done)
		t.Cleanup(m.Close)
		fmt.Fprintf(&b, "mlflow: {tracking_uri: %s}\n", m.URL)
	}
	t.Cleanup(func() { close(done) }) // runs before the servers close
	path := filepath.Join(dir, "mltop.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCommandsUnderFaults runs snapshot (table and JSON) and check against
// every fault mode of every source, and asserts what README promises:
// check's exit code (2 when it cannot tell), no hang past --wait, a
// bounded heap, no control byte in what is printed, and every line of
// text one plain line (no raw HTML, bounded length).
func TestCommandsUnderFaults(t *testing.T) {
	isolate(t)
	type row struct {
		name  string
		world chaosWorld
		check int // check's exit code
		// orCheck is another exit code allowed: 10,000 models may not be
		// read within --wait on a slow machine, and then check cannot tell.
		orCheck int
		// unbounded, when set, says why the heap bound is only logged.
		// skip, when set, names the bug that keeps the row from running.
		skip      string
		unbounded string
	}
	var rows []row
	rows = append(rows, row{name: "prometheus good", world: chaosWorld{prom: chaos.PromGood, mlflow: chaos.MLflowGood}, check: exitOK, orCheck: exitOK})
	for _, m := range chaos.PromModes {
		r := row{name: "prometheus " + string(m), world: chaosWorld{prom: m, mlflow: chaos.MLflowGood}, check: exitFailure, orCheck: exitFailure}
		switch m {
		case chaos.PromNaN, chaos.PromDuplicate:
			// An error ratio of +Inf is errors with no successful
			// prediction (x/0), and duplicate series keep the worse
			// reading: both are real breaches, judged critical.
			r.check, r.orCheck = exitBreach, exitBreach
		}
		if chaos.PromUnbounded(m) {
			r.unbounded = chaos.HeapUnbounded
		}
		if m == chaos.PromHuge {
			// internal/chaos runs this mode through the poller, logging its heap.
			r.skip = "bug: 100,000 series for each query take the process to about 1.8 GB resident (prometheus.max_answer_mib bounds bytes, not decoded series); the Go runtime keeps that memory, which would fail this package's peak-RSS tests, whose children inherit it"
		}
		rows = append(rows, r)
	}
	for _, m := range chaos.MLflowModes {
		r := row{name: "mlflow " + string(m), world: chaosWorld{prom: chaos.PromGood, mlflow: m}, check: exitFailure, orCheck: exitFailure}
		switch m {
		case chaos.MLflowSlowWrites, chaos.MLflowPost5xx, chaos.MLflowPost4xx, chaos.MLflowPostReset, chaos.MLflowHostile:
			r.check, r.orCheck = exitOK, exitOK // reads are fine; only writes fail
		case chaos.MLflowMany:
			r.check, r.orCheck = exitOK, exitFailure
		}
		rows = append(rows, r)
	}
	for _, m := range chaos.ScrapeModes {
		// Within --wait the rate window never fills: check cannot tell.
		rows = append(rows, row{name: "scrape " + string(m), world: chaosWorld{target: m, mlflow: chaos.MLflowGood}, check: exitFailure, orCheck: exitFailure})
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			if r.skip != "" {
				t.Skip(r.skip)
			}
			cfg := r.world.config(t)
			cmds := [][]string{{"check"}, {"snapshot", "--format", "table"}, {"snapshot", "--format", "json"}}
			if r.world.target != "" {
				// The built-in engine always waits out --wait here (the
				// rate window cannot fill): one snapshot, in JSON, will do.
				cmds = [][]string{cmds[0], cmds[2]}
			}
			for _, cmd := range cmds {
				args := append(append([]string(nil), cmd...), "--config", cfg, "--log-file", "-", "--wait", chaosWait.String())
				heap := chaos.StartHeapPeak()
				start := time.Now()
				var out, errb strings.Builder
				code := run(args, &out, &errb)
				took := time.Since(start)
				mib := heap.Stop()
				name := strings.Join(cmd, " ")
				t.Logf("%s: exit %d in %s, heap grew by %.1f MiB at most, %d bytes out", name, code, took.Round(time.Millisecond), mib, out.Len())
				if took > chaosWait+chaosSlack {
					t.Errorf("%s took %s, past --wait %s (+%s)", name, took, chaosWait, chaosSlack)
				}
				switch {
				case mib > chaosHeapMiB && r.unbounded != "":
					t.Logf("%s: the heap grew by %.0f MiB, over %d: %s", name, mib, chaosHeapMiB, r.unbounded)
				case mib > chaosHeapMiB:
					t.Errorf("%s: the heap grew by %.0f MiB, over %d", name, mib, chaosHeapMiB)
				}
				if cmd[0] == "check" && code != r.check && code != r.orCheck {
					t.Errorf("check exit %d, want %d:\n%.2000s\nstderr: %.1000s", code, r.check, out.String(), errb.String())
				}
				if cmd[0] == "snapshot" && code != exitOK {
					t.Errorf("%s exit %d, want 0 (a snapshot prints what it has):\n%.1000s", name, code, errb.String())
				}
				for stream, s := range map[string]string{"stdout": out.String(), "stderr": errb.String()} {
					if where, bad := chaos.ControlByte(s); bad {
						t.Errorf("%s: %s carries %s", name, stream, where)
					}
					if stream == "stdout" && cmd[len(cmd)-1] == "json" {
						var v any
						if err := json.Unmarshal([]byte(s), &v); err != nil {
							t.Errorf("%s: stdout is not JSON: %v", name, err)
						}
						continue
					}
					for line := range strings.SplitSeq(strings.TrimSuffix(s, "\n"), "\n") {
						if why := chaos.PlainLine(line); why != "" {
							t.Errorf("%s: a line on %s %s", name, stream, why)
						}
					}
				}
			}
		})
	}
}
