package mlflow

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// modelEntry is what the last read of one model's versions produced.
type modelEntry struct {
	updated  Millis    // the model's last_updated_timestamp when read
	expires  time.Time // re-read after this even if updated has not moved
	complete bool      // every run its versions name was read or is known gone
	// versions are mapped once; Aliases hold the versions' own alias lists.
	versions []fleet.RegisteredVersion

	// The last assembled form, reused while the model's aliases stay the
	// same, so a steady registry costs no copying. Shared read-only.
	aliasKey  string
	aliases   map[string]string
	published []fleet.RegisteredVersion
}

// fresh reports whether the entry can stand in for a model last updated at updated.
func (e *modelEntry) fresh(updated Millis, now time.Time) bool {
	return e != nil && e.complete && e.updated == updated && now.Before(e.expires)
}

// runSummary keeps only what a version takes from its run, so the cache of
// many thousands of runs stays small.
type runSummary struct {
	name      string
	status    string
	user      string
	gitCommit string
	dataset   *fleet.Dataset
	metrics   map[string]float64 // nil when the run logged none
	gone      bool               // the server says the run does not exist
	denied    bool               // the caller may read the model but not its run
}

// settled reports whether the run can no longer change its status, so a
// cached copy is as good as a new read. A denied run is tried again whenever
// its model is re-read, in case access was granted.
func (r *runSummary) settled() bool {
	if r.gone {
		return true
	}
	switch r.status {
	case "FINISHED", "FAILED", "KILLED":
		return true
	}
	return false
}

// expiry spreads re-reads over the last fifth of maxAge so that models read
// together are not all re-read in the same poll.
func expiry(now time.Time, maxAge time.Duration) time.Time {
	if maxAge < 0 {
		return time.Unix(1<<62, 0)
	}
	return now.Add(maxAge - rand.N(maxAge/5+1))
}

// forEach calls fn(i) for every i in [0, n) on at most workers goroutines.
// Once ctx ends no more work is handed out; calls under way finish on their own
// (they take ctx too).
func forEach(ctx context.Context, workers, n int, fn func(i int)) {
	if n == 0 {
		return
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
}
