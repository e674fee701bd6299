package lastmodels

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

func snap(models ...fleet.Model) fleet.Snapshot { return fleet.Snapshot{Models: models} }

func model(name string, versions ...string) fleet.Model {
	m := fleet.Model{Name: name}
	for _, v := range versions {
		m.Versions = append(m.Versions, fleet.Version{Version: v})
	}
	return m
}

// A name that would break a completion line, or forge one, is left out;
// versions are sorted and kept once.
func TestFromSnapshotKeepsOnlyCompletableNames(t *testing.T) {
	got := FromSnapshot(snap(
		model("fraud", "3", "1", "3"),
		model("bad name"), model("esc\x1b[2J"), model("new\nline"), model("tab\tx"), model(""),
		model("churn", "2", "evil\x07"),
	))
	want := []Model{{Name: "churn", Versions: []string{"2"}}, {Name: "fraud", Versions: []string{"1", "3"}}}
	if !slices.EqualFunc(got, want, func(a, b Model) bool { return a.Name == b.Name && slices.Equal(a.Versions, b.Versions) }) {
		t.Errorf("FromSnapshot = %+v, want %+v", got, want)
	}
}

// Load merges every context's file but the demo's, unless files are
// named; a missing or corrupt file adds nothing.
func TestSaveAndLoad(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(Save(filepath.Join(dir, FileName("")), []Model{{Name: "a", Versions: []string{"1"}}}))
	must(Save(filepath.Join(dir, FileName("prod")), []Model{{Name: "a", Versions: []string{"2"}}, {Name: "b"}}))
	must(Save(filepath.Join(dir, FileName("demo")), []Model{{Name: "demo-model"}}))
	must(os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{not json"), 0o600))

	names := func(ms []Model) (out []string) {
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return out
	}
	all := Load(dir)
	if got := names(all); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Load(all) = %v, want [a b]", got)
	}
	if !slices.Equal(all[0].Versions, []string{"1", "2"}) {
		t.Errorf("a's versions = %v, want both contexts' [1 2]", all[0].Versions)
	}
	if got := names(Load(dir, FileName("demo"))); !slices.Equal(got, []string{"demo-model"}) {
		t.Errorf("Load(demo) = %v", got)
	}
	if got := Load(dir, FileName("nowhere")); len(got) != 0 {
		t.Errorf("Load(missing) = %v, want nothing", got)
	}
	if got := Load(filepath.Join(dir, "absent")); len(got) != 0 {
		t.Errorf("Load(absent dir) = %v", got)
	}
}

// A file holding the same names is not written again: the dashboard
// saves at every poll that changes them, not at every poll.
func TestSaveLeavesAnUnchangedFileAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", FileName("x"))
	ms := []Model{{Name: "a", Versions: []string{"1"}}}
	if err := Save(path, ms); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, ms); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); !st.ModTime().Equal(old) {
		t.Errorf("an unchanged file was rewritten (mtime %s)", st.ModTime())
	}
	if err := Save(path, append(ms, Model{Name: "b"})); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.ModTime().Equal(old) {
		t.Error("a changed list was not written")
	}
	if st, _ := os.Stat(filepath.Dir(path)); st.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", st.Mode().Perm())
	}
}

func TestFileNameStaysInItsFolder(t *testing.T) {
	for _, ctx := range []string{"../../etc/passwd", "a/b", `a\b`, "x\x00y"} {
		if n := FileName(ctx); filepath.Base(n) != n || n == ".json" {
			t.Errorf("FileName(%q) = %q leaves its folder", ctx, n)
		}
	}
}

// Watch saves each change, keeps the names through an empty snapshot
// (a source down), and ends when its channel closes.
func TestWatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName(""))
	ch := make(chan fleet.Snapshot)
	done := make(chan struct{})
	go func() {
		Watch(context.Background(), ch, path, nil)
		close(done)
	}()
	ch <- snap(model("a", "1"))
	ch <- snap() // a source down: no models
	ch <- snap(model("a", "1"), model("b", "4"))
	close(ch)
	<-done
	got := Load(filepath.Dir(path))
	if len(got) != 2 || got[1].Name != "b" || !slices.Equal(got[1].Versions, []string{"4"}) {
		t.Errorf("after Watch: %+v, want a and b 4", got)
	}
}
