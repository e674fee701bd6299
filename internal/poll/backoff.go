package poll

import "time"

// backoff spaces out attempts at a failing source: the wait doubles from
// base up to max, times a jitter factor in [0.8, 1.2) so that many viewers'
// pollers do not hammer a recovering backend in step.
type backoff struct {
	base, max time.Duration
	cur       time.Duration // last un-jittered wait; 0 while healthy
	next      time.Time     // no attempt before this; zero while healthy
}

// due reports whether an attempt may be made at now.
func (b *backoff) due(now time.Time) bool { return !now.Before(b.next) }

// failed records a failure at now and returns when to try again.
func (b *backoff) failed(now time.Time, jitter float64) time.Time {
	switch {
	case b.cur <= 0:
		b.cur = b.base
	case b.cur < b.max:
		b.cur *= 2
	}
	if b.cur > b.max {
		b.cur = b.max
	}
	if !(jitter >= 0 && jitter < 1) {
		jitter = 0.5 // an out-of-range jitter source must not stretch or skip the wait
	}
	wait := time.Duration(float64(b.cur) * (0.8 + 0.4*jitter))
	b.next = now.Add(wait)
	return b.next
}

// succeeded resets the backoff.
func (b *backoff) succeeded() {
	b.cur = 0
	b.next = time.Time{}
}
