package audit

import (
	"errors"
	"iter"
)

var errStopped = errors.New("audit: scan stopped")

// ScanMerged visits the records of several logs as one, oldest first by
// time (a log's own order kept), holding one record of each log at a time,
// as Scan does for one. torn counts the torn lines of them all. A log that
// cannot be read leaves the others visited, and its error is returned.
func ScanMerged(paths []string, visit func(Record) error) (torn int, err error) {
	type log struct {
		next func() (Record, bool)
		head Record
		ok   bool
		torn int
		err  error
	}
	logs := make([]*log, len(paths))
	for i, path := range paths {
		l := &log{}
		next, stop := iter.Pull(func(yield func(Record) bool) {
			l.torn, l.err = Scan(path, func(r Record) error {
				if !yield(r) {
					return errStopped
				}
				return nil
			})
		})
		defer stop()
		l.next = next
		l.head, l.ok = next()
		logs[i] = l
	}
	for {
		var first *log
		for _, l := range logs {
			if l.ok && (first == nil || l.head.Time.Before(first.head.Time)) {
				first = l
			}
		}
		if first == nil {
			break
		}
		if err := visit(first.head); err != nil {
			return torn, err
		}
		first.head, first.ok = first.next()
	}
	var errs []error
	for _, l := range logs {
		torn += l.torn
		if l.err != nil {
			errs = append(errs, l.err)
		}
	}
	return torn, errors.Join(errs...)
}
