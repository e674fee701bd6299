package main

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The dashboard's garbage collection (figures in docs/benchmarks.md): its
// heap is mostly the last answers and the frame, replaced every refresh, so
// with Go's default (collect when the heap doubles) its peak is twice what
// it keeps. A soft memory limit of memoryFloor, raised to half again the
// live heap when the fleet needs more, keeps the peak near what is kept
// without collecting without end on a large fleet.
const (
	memoryFloor   = 40 << 20
	limitInterval = 10 * time.Second
	// The first snapshots of a large fleet may outgrow the floor at once:
	// the limit follows every second at first, so the collector does not
	// run without pause until the first slow check.
	startInterval = time.Second
	startPeriod   = 30 * time.Second
)

// tuneGC sets the memory limit and keeps it at max(memoryFloor, 1.5 ×
// live heap) until ctx ends. GOGC or GOMEMLIMIT in the environment wins:
// then nothing is changed.
func tuneGC(ctx context.Context) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(memoryFloor)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(startInterval)
		defer t.Stop()
		started := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				if now.Sub(started) > startPeriod {
					t.Reset(limitInterval)
				}
				metrics.Read(sample)
				if sample[0].Value.Kind() == metrics.KindUint64 {
					debug.SetMemoryLimit(memoryLimit(sample[0].Value.Uint64()))
				}
			}
		}
	}()
}

// memoryLimit is the soft limit for a live heap of live bytes.
func memoryLimit(live uint64) int64 {
	return max(memoryFloor, int64(live/2*3))
}
