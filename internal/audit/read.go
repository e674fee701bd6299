package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/mltop/mltop/internal/jsonl"
)

// Read returns every record of the log at path, oldest first. Lines that do
// not parse (a line torn by a crash mid-write) are skipped and counted in
// torn. A log that does not exist yet holds no records. Read holds the
// whole log: Scan visits it a record at a time.
func Read(path string) (records []Record, torn int, err error) {
	torn, err = Scan(path, func(r Record) error {
		records = append(records, r)
		return nil
	})
	return records, torn, err
}

// Read returns the log's records (of its context, when it has one), as
// Read does.
func (l *Log) Read() (records []Record, torn int, err error) {
	torn, err = l.Scan(func(r Record) error {
		records = append(records, r)
		return nil
	})
	return records, torn, err
}

// Scan calls visit with each record of the log at path, oldest first,
// holding one record at a time, so that memory does not grow with the log.
// It stops at the first error visit returns, and returns it. Torn lines are
// skipped and counted as Read does.
func Scan(path string, visit func(Record) error) (torn int, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("audit: open %s: %w", path, err)
	}
	defer f.Close()
	torn, err = decode(f, visit)
	if err != nil {
		return torn, fmt.Errorf("audit: read %s: %w", path, err)
	}
	return torn, nil
}

// Scan visits the log's records (of its context, when it has one), as
// Scan does.
func (l *Log) Scan(visit func(Record) error) (int, error) {
	if l.context == "" {
		return Scan(l.path, visit)
	}
	return Scan(l.path, func(r Record) error {
		if r.Context != l.context {
			return nil
		}
		return visit(r)
	})
}

func decode(r io.Reader, visit func(Record) error) (torn int, err error) {
	_, err = jsonl.Lines(r, func(line []byte, _ bool) error {
		var rec Record
		if json.Unmarshal(line, &rec) != nil || rec.ID == "" || rec.State == "" {
			torn++
			return nil
		}
		return visit(rec)
	})
	return torn, err
}

// Filter selects records; zero fields match everything.
type Filter struct {
	Model  string
	Action string
	State  State
	Since  time.Time
	// Context keeps one config context's records; a record without a
	// context belongs to none.
	Context string
}

// Match reports whether r passes the filter.
func (f Filter) Match(r Record) bool {
	return (f.Context == "" || r.Context == f.Context) &&
		(f.Model == "" || r.Model == f.Model) &&
		(f.Action == "" || r.Action == f.Action) &&
		(f.State == "" || r.State == f.State) &&
		(f.Since.IsZero() || !r.Time.Before(f.Since))
}

// Select returns the records that pass f, in their order.
func Select(records []Record, f Filter) []Record {
	var out []Record
	for _, r := range records {
		if f.Match(r) {
			out = append(out, r)
		}
	}
	return out
}

// Latest keeps the newest record of each action (by id), in the order the
// actions were first recorded: one line per action for a list on screen.
func Latest(records []Record) []Record {
	index := map[string]int{}
	var out []Record
	for _, r := range records {
		if i, ok := index[r.ID]; ok {
			out[i] = r
			continue
		}
		index[r.ID] = len(out)
		out = append(out, r)
	}
	return out
}
