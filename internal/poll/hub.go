package poll

import (
	"sync"

	"github.com/mltop/mltop/internal/fleet"
)

// Hub hands each published snapshot to any number of subscribers. A
// subscriber that does not keep up only misses intermediate snapshots: its
// channel holds at most one, always the newest, and Publish never waits.
type Hub struct {
	mu     sync.Mutex
	latest fleet.Snapshot
	has    bool
	subs   map[chan fleet.Snapshot]struct{}
}

// NewHub returns an empty hub.
func NewHub() *Hub {
	return &Hub{subs: make(map[chan fleet.Snapshot]struct{})}
}

// Publish makes s the latest snapshot and offers it to every subscriber,
// replacing one they have not read yet.
func (h *Hub) Publish(s fleet.Snapshot) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.latest, h.has = s, true
	for ch := range h.subs {
		offer(ch, s)
	}
}

// offer puts s in ch, dropping a pending older snapshot. Only Publish sends,
// under the hub's lock, so once drained the buffer has room.
func offer(ch chan fleet.Snapshot, s fleet.Snapshot) {
	select {
	case ch <- s:
		return
	default:
	}
	select {
	case <-ch:
	default:
	}
	select {
	case ch <- s:
	default:
	}
}

// Subscribe returns a channel of snapshots, primed with the latest one if
// any, and a function that unsubscribes and closes the channel. The
// function may be called more than once and concurrently with Publish.
func (h *Hub) Subscribe() (<-chan fleet.Snapshot, func()) {
	ch := make(chan fleet.Snapshot, 1)
	h.mu.Lock()
	if h.has {
		ch <- h.latest
	}
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs, ch)
			close(ch)
			h.mu.Unlock()
		})
	}
}

// Latest returns the most recent snapshot, and false if none was published.
func (h *Hub) Latest() (fleet.Snapshot, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.latest, h.has
}

// subscribers is the number of live subscriptions.
func (h *Hub) subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
