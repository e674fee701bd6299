package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Log appends records to one file. It is safe for concurrent use; several
// processes may append to the same file (each line is one write to a file
// opened with O_APPEND).
type Log struct {
	path string
	mu   sync.Mutex
}

// New returns the log at path. It does no I/O: the directory (0700) and the
// file (0600) are created by the first Append.
func New(path string) *Log { return &Log{path: path} }

// Path is the file the log writes.
func (l *Log) Path() string { return l.path }

// Append writes r as one line and waits until it is on disk (fsync). Only
// after Append returns nil may the action it records be sent.
func (l *Log) Append(r Record) error {
	if l.path == "" {
		return errors.New("audit: no log path configured")
	}
	line, err := json.Marshal(r.scrubbed())
	if err != nil {
		return fmt.Errorf("audit: encode record: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	dir := filepath.Dir(l.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("audit: create %s: %w", dir, err)
	}
	_, statErr := os.Stat(l.path)
	created := errors.Is(statErr, fs.ErrNotExist)
	// A crash may have left a torn last line; start on a fresh line so that
	// this record is not glued to it.
	if !created && !endsWithNewline(l.path) {
		line = append([]byte{'\n'}, line...)
	}
	line = append(line, '\n')
	f, err := os.OpenFile(l.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("audit: open %s: %w", l.path, err)
	}
	if _, err := f.Write(line); err != nil {
		_ = f.Close()
		return fmt.Errorf("audit: write %s: %w", l.path, err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("audit: sync %s: %w", l.path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("audit: close %s: %w", l.path, err)
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
	_ = d.Sync() // not supported everywhere (Windows); the record itself is synced
	_ = d.Close()
}
