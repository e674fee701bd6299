package events

import (
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// driftMemo is a computed drift history and when it was asked for.
type driftMemo struct {
	at time.Time
	h  fleet.DriftHistory
}

// cacheKey is what an answer serves: a model over a span.
type cacheKey struct {
	model string
	span  time.Duration
}

// cached is an answer for [from, to], collected at at.
type cached struct {
	from, to time.Time
	at       time.Time
	events   []fleet.Event
	err      error
}

// fromCache answers from a recent collection of the same span whose end
// is within CacheFor of to, cut to [from, to]: what it lacks is at most
// CacheFor at either end.
func (c *Collector) fromCache(key cacheKey, from, to time.Time) ([]fleet.Event, error, bool) {
	c.mu.Lock()
	e, ok := c.cache[key]
	c.mu.Unlock()
	if !ok || absDuration(to.Sub(e.to)) > c.opts.CacheFor || c.opts.Now().Sub(e.at) > c.opts.CacheFor {
		return nil, nil, false
	}
	return within(e.events, from, to), e.err, true
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func (c *Collector) store(key cacheKey, e cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.opts.Now()
	for k, old := range c.cache {
		if now.Sub(old.at) > c.opts.CacheFor {
			delete(c.cache, k)
		}
	}
	c.cache[key] = e
}
