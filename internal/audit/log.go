package audit

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mltop/mltop/internal/jsonl"
)

// Log appends records to one file. It is safe for concurrent use: every
// Log of one file in a process (one per context) appends under the file's
// one lock (internal/jsonl), and several processes may append to the same
// file (each line is one write to a file opened with O_APPEND).
type Log struct {
	path string
	// context scopes the log to one config context: its records are
	// stamped with it, and only its records are read back.
	context string
}

// New returns the log at path. It does no I/O: the directory (0700) and the
// file (0600) are created by the first Append.
func New(path string) *Log { return &Log{path: path} }

// Path is the file the log writes.
func (l *Log) Path() string { return l.path }

// ForContext is the log on the same file for one config context (name ""
// is the whole log): what it appends says the context, and what it reads
// is that context's records only, so that the contexts sharing one file
// never decide from each other's actions.
func (l *Log) ForContext(name string) *Log { return &Log{path: l.path, context: name} }

// Context is the context the log is scoped to; "" for the whole log.
func (l *Log) Context() string { return l.context }

// Append writes r as one line and waits until it is on disk (fsync). Only
// after Append returns nil may the action it records be sent.
func (l *Log) Append(r Record) error {
	if l.path == "" {
		return errors.New("audit: no log path configured")
	}
	if l.context != "" {
		r.Context = l.context
	}
	line, err := json.Marshal(r.scrubbed())
	if err != nil {
		return fmt.Errorf("audit: encode record: %w", err)
	}
	if err := jsonl.Append(l.path, line); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}
