package poll

import (
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// snap is a snapshot told apart by its sequence number.
func snap(seq int) fleet.Snapshot {
	return fleet.Snapshot{TakenAt: time.Unix(int64(seq), 0)}
}

func seqOf(s fleet.Snapshot) int { return int(s.TakenAt.Unix()) }

const waitLimit = 10 * time.Second

func TestHubLatestAndPriming(t *testing.T) {
	h := NewHub()
	if _, ok := h.Latest(); ok {
		t.Fatal("Latest before any Publish")
	}
	early, cancelEarly := h.Subscribe()
	defer cancelEarly()
	select {
	case s := <-early:
		t.Fatalf("a subscriber before any Publish got %v", s.TakenAt)
	default:
	}
	h.Publish(snap(1))
	h.Publish(snap(2))
	if s, ok := h.Latest(); !ok || seqOf(s) != 2 {
		t.Fatalf("Latest = %d, %v", seqOf(s), ok)
	}
	late, cancelLate := h.Subscribe()
	defer cancelLate()
	select {
	case s := <-late:
		if seqOf(s) != 2 {
			t.Fatalf("late subscriber primed with %d, want 2", seqOf(s))
		}
	default:
		t.Fatal("a late subscriber must get the latest snapshot at once")
	}
	if s := <-early; seqOf(s) != 2 {
		t.Fatalf("unread pending snapshot not replaced: got %d", seqOf(s))
	}
}

func TestHubSlowSubscriberDoesNotBlock(t *testing.T) {
	h := NewHub()
	slow, cancelSlow := h.Subscribe() // never reads while publishing
	defer cancelSlow()
	fast, cancelFast := h.Subscribe()

	const n = 1000
	received := make(chan int, 1)
	go func() {
		last := 0
		for s := range fast {
			if seqOf(s) <= last {
				received <- -seqOf(s) // out of order
				return
			}
			last = seqOf(s)
			if last == n {
				received <- last
				return
			}
		}
		received <- 0
	}()
	published := make(chan struct{})
	go func() {
		for i := 1; i <= n; i++ {
			h.Publish(snap(i))
		}
		close(published)
	}()
	select {
	case <-published:
	case <-time.After(waitLimit):
		t.Fatal("Publish blocked behind a subscriber that does not read")
	}
	select {
	case got := <-received:
		if got != n {
			t.Fatalf("fast subscriber ended at %d, want %d in increasing order", got, n)
		}
	case <-time.After(waitLimit):
		t.Fatal("fast subscriber never received the last snapshot")
	}
	cancelFast()
	// The slow one holds exactly the newest snapshot, nothing older.
	if s := <-slow; seqOf(s) != n {
		t.Fatalf("slow subscriber's pending snapshot = %d, want %d", seqOf(s), n)
	}
	select {
	case s := <-slow:
		t.Fatalf("slow subscriber has a second snapshot %d", seqOf(s))
	default:
	}
}

func TestHubUnsubscribeConcurrentWithPublish(t *testing.T) {
	h := NewHub()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
				h.Publish(snap(i))
			}
		}
	})
	for range 200 {
		ch, cancel := h.Subscribe()
		wg.Go(func() {
			for range ch { // drains until cancel closes it
			}
		})
		wg.Go(cancel)
		wg.Go(cancel) // twice, concurrently: must be safe
	}
	close(stop)
	wg.Wait()
	if n := h.subscribers(); n != 0 {
		t.Fatalf("%d subscribers left after all unsubscribed", n)
	}
}
