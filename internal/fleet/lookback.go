package fleet

import "time"

// LookBack marks a snapshot of a past time (mltop snapshot --at, the
// dashboard's :at): its TakenAt is that time, every query was evaluated
// then, and it is not live. Nil on a live snapshot.
type LookBack struct {
	// MadeAt is when the snapshot of the past was made.
	MadeAt time.Time
	// Notes say what in it is not as it was then, in plain words (the
	// registry's aliases are today's when no history of them is kept).
	Notes []string
}

// Live reports whether the snapshot is of the present.
func (s *Snapshot) Live() bool { return s.LookBack == nil }
