package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/jsonl"
)

func sample(id string, state State) Record {
	return Record{
		Time: time.Date(2026, 3, 4, 3, 12, 5, 123456789, time.UTC), ID: id, State: state,
		Actor:  Actor{User: "ana", Role: "operator", Host: "laptop"},
		Action: "rollback", Model: "payments-fraud",
		Before: map[string]string{"alias": "champion", "version": "8"},
		After:  map[string]string{"alias": "champion", "version": "7"},
		Reason: "error rate 7%", Adapter: "mlflow-alias", Target: "http://127.0.0.1:5000/api/2.0/mlflow/registered-models/alias",
	}
}

func TestAppendThenRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "mltop", "audit.jsonl")
	l := New(path)
	want := []Record{sample("a1", Requested), sample("a1", Succeeded)}
	want[1].Response = &Response{Status: 200, Message: "ok"}
	want[1].Duration = 0.25
	for _, r := range want {
		if err := l.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	got, torn, err := Read(path)
	if err != nil || torn != 0 {
		t.Fatalf("Read: torn %d, err %v", torn, err)
	}
	if len(got) != 2 || got[1].Response == nil || got[1].Response.Status != 200 || got[1].After["version"] != "7" || !got[0].Time.Equal(want[0].Time) {
		t.Fatalf("read back %+v", got)
	}
	raw, _ := os.ReadFile(path)
	if !bytes.Contains(raw, []byte(`"time":"2026-03-04T03:12:05.123456789Z"`)) {
		t.Errorf("time not RFC 3339 with nanoseconds: %s", raw)
	}
	if n := bytes.Count(raw, []byte("\n")); n != 2 {
		t.Errorf("%d lines, want 2", n)
	}
	if runtime.GOOS != "windows" {
		st, _ := os.Stat(path)
		dst, _ := os.Stat(filepath.Dir(path))
		if st.Mode().Perm() != 0o600 || dst.Mode().Perm() != 0o700 {
			t.Errorf("modes file %v dir %v, want 0600 and 0700", st.Mode().Perm(), dst.Mode().Perm())
		}
	}
}

func TestReadMissingFileIsEmpty(t *testing.T) {
	got, torn, err := Read(filepath.Join(t.TempDir(), "none.jsonl"))
	if err != nil || torn != 0 || len(got) != 0 {
		t.Fatalf("got %v %d %v", got, torn, err)
	}
}

func TestTornLastLineIsSkippedAndNextRecordStartsFresh(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l := New(path)
	if err := l.Append(sample("a1", Requested)); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"time":"2026-03-04T03:12:05Z","id":"a2","sta`) // a crash mid-write
	_ = f.Close()

	got, torn, err := Read(path)
	if err != nil || torn != 1 || len(got) != 1 {
		t.Fatalf("after tear: %d records, torn %d, err %v", len(got), torn, err)
	}
	if err := l.Append(sample("a3", Requested)); err != nil {
		t.Fatal(err)
	}
	got, torn, err = Read(path)
	if err != nil || torn != 1 || len(got) != 2 || got[1].ID != "a3" {
		t.Fatalf("after append: %+v, torn %d, err %v", got, torn, err)
	}
}

func TestOverlongLineCountsAsTorn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	junk := strings.Repeat("x", jsonl.MaxLine+10) + "\n"
	if err := os.WriteFile(path, []byte(junk), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := New(path).Append(sample("a1", Failed)); err != nil {
		t.Fatal(err)
	}
	got, torn, err := Read(path)
	if err != nil || torn != 1 || len(got) != 1 {
		t.Fatalf("%d records, torn %d, err %v", len(got), torn, err)
	}
}

func TestSecretsNeverWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	r := sample("a1", Failed)
	r.Target = "https://deploy:s3cretpw@cd.example.com/hooks/rollback?token=abc123xyz#frag"
	r.Reason = "rollback; api_key=k3y-in-reason"
	r.Response = &Response{
		Status:  500,
		URL:     "https://ci.example.com/runs/7?access_token=runtok999",
		Message: `Post "https://bob:hunter22@cd.example.com/x?token=abc123xyz": Authorization: Bearer eyJhbGciOiJIUzI1NiJ9zz; password=topsecret`,
	}
	if err := New(path).Append(r); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	for _, secret := range []string{"s3cretpw", "deploy:", "abc123xyz", "frag", "k3y-in-reason", "runtok999", "bob", "hunter22", "eyJhbGciOiJIUzI1NiJ9zz", "topsecret"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("audit line holds %q: %s", secret, raw)
		}
	}
	var back Record
	if err := json.Unmarshal(bytes.TrimSpace(raw), &back); err != nil {
		t.Fatal(err)
	}
	if back.Target != "https://cd.example.com/hooks/rollback" {
		t.Errorf("target %q", back.Target)
	}
	if !strings.Contains(back.Response.Message, "cd.example.com/x") {
		t.Errorf("message lost its useful part: %q", back.Response.Message)
	}
}

func TestRedact(t *testing.T) {
	if got := Redact("denied for token ghp_abcdef and key xy", "ghp_abcdef", "xy"); got != "denied for token [redacted] and key xy" {
		t.Errorf("got %q", got)
	}
}

func TestConcurrentAppendsKeepWholeLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l := New(path)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 25 {
				r := sample(string(rune('a'+g))+strings.Repeat("-", i), Requested)
				r.Reason = strings.Repeat("why ", 100)
				if err := l.Append(r); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	got, torn, err := Read(path)
	if err != nil || torn != 0 || len(got) != 100 {
		t.Fatalf("%d records, torn %d, err %v", len(got), torn, err)
	}
}

func TestFilterSelectLatest(t *testing.T) {
	base := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	mk := func(id, model, action string, s State, h int) Record {
		return Record{Time: base.Add(time.Duration(h) * time.Hour), ID: id, Model: model, Action: action, State: s}
	}
	rs := []Record{
		mk("1", "a", "rollback", Requested, 0), mk("2", "b", "retrain", Requested, 1),
		mk("1", "a", "rollback", Succeeded, 2), mk("2", "b", "retrain", Unknown, 3), mk("3", "a", "retrain", Refused, 4),
	}
	if got := Select(rs, Filter{Model: "a"}); len(got) != 3 {
		t.Errorf("model a: %d", len(got))
	}
	if got := Select(rs, Filter{Action: "retrain", Since: base.Add(2 * time.Hour)}); len(got) != 2 || got[0].State != Unknown {
		t.Errorf("retrain since 2h: %+v", got)
	}
	if got := Select(rs, Filter{State: Refused}); len(got) != 1 || got[0].ID != "3" {
		t.Errorf("refused: %+v", got)
	}
	got := Latest(rs)
	if len(got) != 3 || got[0].State != Succeeded || got[1].State != Unknown || got[2].ID != "3" {
		t.Errorf("latest: %+v", got)
	}
}

// Scan hands the records over one at a time, in order, and stops at the
// first error its visitor returns.
func TestScanVisitsInOrderAndStops(t *testing.T) {
	l := New(filepath.Join(t.TempDir(), "audit.jsonl"))
	for _, id := range []string{"a", "b", "c"} {
		if err := l.Append(sample(id, Succeeded)); err != nil {
			t.Fatal(err)
		}
	}
	var seen []string
	stop := errors.New("enough")
	_, err := l.Scan(func(r Record) error {
		seen = append(seen, r.ID)
		if r.ID == "b" {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || strings.Join(seen, ",") != "a,b" {
		t.Fatalf("Scan visited %v, returned %v; want a,b and the visitor's error", seen, err)
	}
}
