package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// childEnv makes the test binary an appender: it appends records in a loop
// and prints the count after each one is synced, until it is killed.
const childEnv = "MLTOP_AUDIT_APPENDER"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		appendForever(path)
		return
	}
	os.Exit(m.Run())
}

func appendForever(path string) {
	l := New(path)
	out := bufio.NewWriter(os.Stdout)
	for i := 1; ; i++ {
		r := sample(fmt.Sprintf("req-%d", i), Requested)
		r.Reason = fmt.Sprintf("record %d of a long loop, padded to make torn writes likelier %0200d", i, i)
		if err := l.Append(r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		fmt.Fprintln(out, i)
		_ = out.Flush()
	}
}

func TestSIGKILLLosesNothingSynced(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const target = 200
	last := 0
	lines := bufio.NewScanner(stdout)
	deadline := time.AfterFunc(60*time.Second, func() { _ = cmd.Process.Kill() })
	defer deadline.Stop()
	for lines.Scan() {
		n, err := strconv.Atoi(lines.Text())
		if err != nil {
			t.Fatalf("child printed %q", lines.Text())
		}
		last = n
		if n >= target {
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if last < target {
		t.Fatalf("child stopped after %d records: %s", last, stderr.String())
	}

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	parts := bytes.Split(raw, []byte("\n"))
	// Every complete line (all but a possibly unterminated last one) parses.
	for i, p := range parts[:len(parts)-1] {
		var r Record
		if err := json.Unmarshal(p, &r); err != nil {
			t.Fatalf("complete line %d does not parse: %v: %q", i+1, err, p)
		}
	}
	records, torn, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if torn > 1 {
		t.Errorf("%d torn lines; only the last can be", torn)
	}
	if len(records) < last {
		t.Errorf("%d records on disk, but the child had synced %d", len(records), last)
	}
	for i, r := range records {
		if want := fmt.Sprintf("req-%d", i+1); r.ID != want {
			t.Fatalf("record %d is %s, want %s", i, r.ID, want)
		}
	}
}
