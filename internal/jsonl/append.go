// Package jsonl keeps append-only files of JSON lines (the audit log, the
// registry history): whole-line appends that are on disk when they return,
// and reads that survive a line torn by a crash.
package jsonl

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Append writes line (without its '\n') as one line at the end of the file
// at path and waits until it is on disk (fsync). The directory (0700) and
// the file (0600) are created when missing. Each call is one write to a
// file opened with O_APPEND, so several processes may append to one file
// without interleaving their lines. Within one process, every append to a
// file takes the file's one lock (see lockFor): the torn-line repair below
// reads before it writes.
func Append(path string, line []byte) error { return AppendLines(path, [][]byte{line}) }

// locks holds one mutex per file this process appends to, by its cleaned
// absolute path: every writer of a file (the audit log of each context,
// say) shares it, however the path was spelt.
var locks sync.Map // string -> *sync.Mutex

func lockFor(path string) *sync.Mutex {
	key := filepath.Clean(path)
	if abs, err := filepath.Abs(path); err == nil {
		key = abs
	}
	mu, _ := locks.LoadOrStore(key, new(sync.Mutex))
	return mu.(*sync.Mutex)
}

// AppendLines is Append for several lines at once: one write, one fsync,
// so a burst of records costs one sync and another process's line never
// falls between them.
func AppendLines(path string, lines [][]byte) error {
	if len(lines) == 0 {
		return nil
	}
	mu := lockFor(path)
	mu.Lock()
	defer mu.Unlock()
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, fs.ErrNotExist)
	size := 1
	for _, l := range lines {
		size += len(l) + 1
	}
	buf := make([]byte, 0, size)
	// A crash may have left a torn last line; start on a fresh line so that
	// this one is not glued to it.
	if !created && !endsWithNewline(path) {
		buf = append(buf, '\n')
	}
	for _, l := range lines {
		buf = append(append(buf, l...), '\n')
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if _, err := f.Write(buf); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if created {
		// A new file's name is durable only once its directory is synced.
		syncDir(dir)
	}
	return nil
}

// endsWithNewline reports whether the file is empty or ends with '\n'.
// A file that cannot be read counts as ending well: the write will say why.
func endsWithNewline(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return true
	}
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, st.Size()-1); err != nil && !errors.Is(err, io.EOF) {
		return true
	}
	return b[0] == '\n'
}

func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync() // not supported everywhere (Windows); the line itself is synced
	_ = d.Close()
}
