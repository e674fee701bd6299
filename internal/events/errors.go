package events

import (
	"errors"
	"strings"
)

// SourceError is one source's failure; the others' events are still
// returned beside it.
type SourceError struct {
	Source string // "alerts", "rollout steps", ...
	Err    error
}

func (e *SourceError) Error() string { return e.Source + ": " + e.Err.Error() }
func (e *SourceError) Unwrap() error { return e.Err }

// PartialError lists the sources that failed; the events returned with it
// are the rest's.
type PartialError struct{ Sources []*SourceError }

func (e *PartialError) Error() string {
	parts := make([]string, len(e.Sources))
	for i, s := range e.Sources {
		parts[i] = s.Error()
	}
	return "events: " + strings.Join(parts, "; ")
}

// Unwrap gives each source's error to errors.Is and errors.As.
func (e *PartialError) Unwrap() []error {
	out := make([]error, len(e.Sources))
	for i, s := range e.Sources {
		out[i] = s
	}
	return out
}

// IsPartial reports whether err says only some sources failed.
func IsPartial(err error) bool {
	var p *PartialError
	return errors.As(err, &p)
}
