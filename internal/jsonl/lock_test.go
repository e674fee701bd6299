package jsonl

import (
	"os"
	"path/filepath"
	"testing"
)

// Every writer of one file in this process takes one lock, however the
// path is spelt; another file has its own.
func TestOneLockPerFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	path := filepath.Join(dir, "audit.jsonl")
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	mu := lockFor(path)
	for _, same := range []string{"audit.jsonl", "./sub/../audit.jsonl", dir + "//audit.jsonl"} {
		if lockFor(same) != mu {
			t.Errorf("%q has a lock of its own, not %s's", same, path)
		}
	}
	if lockFor(filepath.Join(dir, "other.jsonl")) == mu {
		t.Error("another file shares the lock")
	}
}
