package registryhistory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

var t0 = time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

// reg builds a one-model registry: aliases as alias=version pairs, stages
// per version ("1:Production").
func reg(model string, aliases map[string]string, stages ...string) fleet.Registry {
	m := fleet.RegisteredModel{Name: model, Aliases: aliases}
	for _, s := range stages {
		var v, st string
		for i := range s {
			if s[i] == ':' {
				v, st = s[:i], s[i+1:]
				break
			}
		}
		m.Versions = append(m.Versions, fleet.RegisteredVersion{Version: v, Lineage: fleet.Lineage{Stage: st}})
	}
	return fleet.Registry{Models: []fleet.RegisteredModel{m}}
}

func open(t *testing.T, path string) *Log {
	t.Helper()
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func observe(t *testing.T, l *Log, r fleet.Registry, when time.Time) {
	t.Helper()
	if err := l.Observe(r, when); err != nil {
		t.Fatal(err)
	}
}

func changes(t *testing.T, l *Log, model string) []fleet.RegistryChange {
	t.Helper()
	cs, err := l.Changes(model, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestHistorySurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", FileName)
	l := open(t, path)
	observe(t, l, reg("churn", map[string]string{"champion": "1"}, "1:Production", "2:None"), at(0))
	observe(t, l, reg("churn", map[string]string{"champion": "2", "challenger": "1"}, "1:Archived", "2:Production"), at(1))
	want := []fleet.RegistryChange{
		{Time: at(1), Model: "churn", Alias: "challenger", From: "", To: "1"},
		{Time: at(1), Model: "churn", Alias: "champion", From: "1", To: "2"},
		{Time: at(1), Model: "churn", Version: "1", From: "Production", To: "Archived"},
		{Time: at(1), Model: "churn", Version: "2", From: "None", To: "Production"},
	}
	if got := changes(t, l, "churn"); !reflect.DeepEqual(got, want) {
		t.Fatalf("before restart:\n got %+v\nwant %+v", got, want)
	}

	// A restart sees the same registry: nothing new. Then a change made
	// while mltop was down is recorded once, at the first read after.
	l = open(t, path)
	if got := changes(t, l, ""); !reflect.DeepEqual(got, want) {
		t.Fatalf("after restart:\n got %+v\nwant %+v", got, want)
	}
	observe(t, l, reg("churn", map[string]string{"champion": "2", "challenger": "1"}, "1:Archived", "2:Production"), at(60))
	observe(t, l, reg("churn", map[string]string{"champion": "1"}, "1:Archived", "2:Production"), at(61))
	l = open(t, path)
	observe(t, l, reg("churn", map[string]string{"champion": "1"}, "1:Archived", "2:Production"), at(62))
	want = append(want,
		fleet.RegistryChange{Time: at(61), Model: "churn", Alias: "challenger", From: "1", To: ""},
		fleet.RegistryChange{Time: at(61), Model: "churn", Alias: "champion", From: "2", To: "1"})
	if got := changes(t, l, ""); !reflect.DeepEqual(got, want) {
		t.Fatalf("after a change and a second restart:\n got %+v\nwant %+v", got, want)
	}
	if got, _ := l.Changes("churn", at(30)); len(got) != 2 || got[0].Time != at(61) {
		t.Errorf("changes since 03:30 = %+v, want the two at 04:01", got)
	}
	if got := changes(t, l, "other"); len(got) != 0 {
		t.Errorf("another model's changes = %+v, want none", got)
	}
	if b := l.Began("churn"); !b.Equal(at(0)) {
		t.Errorf("began = %v, want %v", b, at(0))
	}
	if b := l.Began(""); !b.Equal(at(0)) {
		t.Errorf("the history began = %v, want %v", b, at(0))
	}
	// The file is what a restart replays: one base, six changes, nothing else.
	if n := bytes.Count(readFile(t, path), []byte{'\n'}); n != 7 {
		t.Errorf("file has %d lines, want 7", n)
	}
}

func TestNewVersionAndModelAreBaseNotChange(t *testing.T) {
	l := open(t, filepath.Join(t.TempDir(), FileName))
	observe(t, l, reg("churn", map[string]string{"champion": "1"}, "1:Production"), at(0))
	observe(t, l, reg("churn", map[string]string{"champion": "1"}, "1:Production", "2:None"), at(1))
	two := reg("churn", map[string]string{"champion": "1"}, "1:Production", "2:None")
	two.Models = append(two.Models, reg("fraud", map[string]string{"champion": "4"}, "4:Production").Models...)
	observe(t, l, two, at(2))
	observe(t, l, reg("churn", map[string]string{"champion": "1"}, "1:Production", "2:Staging"), at(3))
	want := []fleet.RegistryChange{{Time: at(3), Model: "churn", Version: "2", From: "None", To: "Staging"}}
	if got := changes(t, l, ""); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v (a new version and a new model are bases; fraud's absence is no change)", got, want)
	}
	// A registry that does not say stages records no stage change.
	observe(t, l, reg("churn", map[string]string{"champion": "1"}, "1:", "2:"), at(4))
	if got := changes(t, l, ""); len(got) != 1 {
		t.Fatalf("an empty stage was recorded as a change: %+v", got)
	}
}

func TestTornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	l := open(t, path)
	observe(t, l, reg("churn", map[string]string{"champion": "1"}), at(0))
	observe(t, l, reg("churn", map[string]string{"champion": "2"}), at(1))
	// A crash mid-write leaves half a line with no '\n'.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"time":"2026-03-04T03:02:00Z","kind":"alias","model":"churn","ali`); err != nil {
		t.Fatal(err)
	}
	f.Close()

	l = open(t, path)
	if got := changes(t, l, ""); len(got) != 1 || got[0].To != "2" {
		t.Fatalf("after a torn line: %+v, want the one change", got)
	}
	observe(t, l, reg("churn", map[string]string{"champion": "3"}), at(3))
	l = open(t, path)
	got := changes(t, l, "")
	if len(got) != 2 || got[1].From != "2" || got[1].To != "3" {
		t.Fatalf("after writing past a torn line: %+v, want 1→2 and 2→3", got)
	}
	if l.Torn() != 1 {
		t.Errorf("torn = %d, want 1", l.Torn())
	}
}

func TestConcurrentAppends(t *testing.T) {
	// Two processes (two Logs on one file), each polled by two goroutines,
	// see the same registry reads: every move is kept once, no line torn.
	path := filepath.Join(t.TempDir(), FileName)
	const reads = 40
	regs := make([]fleet.Registry, reads)
	for i := range regs {
		regs[i] = reg("churn", map[string]string{"champion": fmt.Sprint(i)}, fmt.Sprintf("%d:Production", i))
	}
	var wg sync.WaitGroup
	for range 2 {
		l := open(t, path)
		for range 2 {
			wg.Go(func() {
				for i, r := range regs {
					if err := l.Observe(r, at(i)); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	l := open(t, path)
	got, err := l.Changes("churn", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var moves []string
	for _, c := range got {
		if c.Alias != "" {
			moves = append(moves, c.From+"→"+c.To)
		}
	}
	var want []string
	for i := 1; i < reads; i++ {
		want = append(want, fmt.Sprintf("%d→%d", i-1, i))
	}
	if !reflect.DeepEqual(moves, want) {
		t.Errorf("alias moves kept:\n%v\nwant each once in order:\n%v", moves, want)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Time.Before(got[i-1].Time) {
			t.Fatalf("changes not oldest first at %d", i)
		}
	}
	if l.Torn() != 0 {
		t.Errorf("%d torn lines after concurrent appends", l.Torn())
	}
	for _, line := range bytes.Split(bytes.TrimSpace(readFile(t, path)), []byte{'\n'}) {
		if len(line) > 0 && !json.Valid(line) {
			t.Errorf("interleaved line %q", line)
		}
	}
}

func TestOlderReadDoesNotUndoNewer(t *testing.T) {
	// A second process whose read is older than what the first recorded
	// writes nothing, and a stale record in the file is skipped.
	path := filepath.Join(t.TempDir(), FileName)
	a, b := open(t, path), open(t, path)
	observe(t, a, reg("churn", map[string]string{"champion": "1"}), at(0))
	observe(t, a, reg("churn", map[string]string{"champion": "2"}), at(2))
	observe(t, b, reg("churn", map[string]string{"champion": "1"}), at(1))
	line, _ := json.Marshal(record{Time: at(1), Kind: kindAlias, Model: "churn", Alias: "champion", From: "2", To: "1"})
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.Write(append(line, '\n'))
	f.Close()
	got := changes(t, open(t, path), "")
	if len(got) != 1 || got[0].To != "2" {
		t.Fatalf("got %+v, want only 1→2", got)
	}
}

func TestHostileNamesStayOneLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	model, alias := "churn\n{\"kind\":\"alias\"}\x1b[2J", "champ\rion\x07"
	l := open(t, path)
	observe(t, l, reg(model, map[string]string{alias: "1\n2"}), at(0))
	observe(t, l, reg(model, map[string]string{alias: "3\x1b]0;x\x07"}), at(1))
	if n := bytes.Count(readFile(t, path), []byte{'\n'}); n != 2 {
		t.Fatalf("file has %d lines, want 2: a name broke a line", n)
	}
	got := changes(t, open(t, path), model)
	want := []fleet.RegistryChange{{Time: at(1), Model: model, Alias: alias, From: "1\n2", To: "3\x1b]0;x\x07"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(""); err == nil {
		t.Error("an empty path opened")
	}
	dir := t.TempDir()
	l := open(t, filepath.Join(dir, "file", FileName))
	if err := os.WriteFile(filepath.Join(dir, "file"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := l.Observe(reg("churn", nil), at(0))
	if err == nil {
		t.Fatal("writing under a file succeeded")
	}
	if want := "registry history: "; len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
		t.Errorf("error %q does not say what failed", err)
	}
}

func TestPathFor(t *testing.T) {
	for audit, want := range map[string]string{
		"/var/lib/mltop/audit.jsonl": "/var/lib/mltop/registry-history.jsonl",
		"/s/mltop/demo-audit.jsonl":  "/s/mltop/demo-registry-history.jsonl",
		"/s/audit-prod.jsonl":        "/s/registry-history-prod.jsonl",
		"/var/log/actions.log":       "/var/log/registry-history.jsonl",
		"relative/audit.jsonl":       "relative/registry-history.jsonl",
	} {
		if got := PathFor(audit); got != filepath.FromSlash(want) {
			t.Errorf("PathFor(%q) = %q, want %q", audit, got, want)
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReplacedFileIsReplayed(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	l := open(t, path)
	observe(t, l, reg("churn", map[string]string{"champion": "1"}), at(0))
	observe(t, l, reg("churn", map[string]string{"champion": "2"}), at(1))
	// An operator archives the file and starts a new one with a base.
	line, _ := json.Marshal(record{Time: at(2), Kind: kindState, Model: "churn", Aliases: map[string]string{"champion": "5"}})
	if err := os.WriteFile(path, append(line, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	observe(t, l, reg("churn", map[string]string{"champion": "6"}), at(3))
	got := changes(t, l, "")
	if len(got) != 1 || got[0].From != "5" || got[0].To != "6" {
		t.Fatalf("after the file was replaced: %+v, want only 5→6", got)
	}
}

// A history file replaced by another at least as long (restored from a
// backup, rewritten by an operator) is replayed from its start: read from
// the old offset it would be torn or wrong.
func TestReplacedByLongerFileIsReplayed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	l := open(t, path)
	observe(t, l, reg("churn", map[string]string{"champion": "1"}), at(0))

	other := open(t, filepath.Join(dir, "other.jsonl"))
	observe(t, other, reg("fraud", map[string]string{"champion": "7"}), at(0))
	observe(t, other, reg("fraud", map[string]string{"champion": "8"}), at(5))
	observe(t, other, reg("fraud", map[string]string{"champion": "9"}), at(10))
	if err := os.Rename(other.Path(), path); err != nil {
		t.Fatal(err)
	}
	got := changes(t, l, "")
	if len(got) != 2 || got[0].Model != "fraud" || got[1].To != "9" || l.Torn() != 0 {
		t.Fatalf("after the file was replaced: changes %+v, %d torn; want fraud's two moves", got, l.Torn())
	}
	if !l.Began("churn").IsZero() {
		t.Error("the replaced file's model is still known")
	}
}
