package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The limit is the floor for a small heap and half again the live heap
// for a large one, so a large fleet is not collected without end.
func TestMemoryLimitFollowsTheLiveHeap(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int64
	}{{0, memoryFloor}, {20 << 20, memoryFloor}, {40 << 20, 60 << 20}, {400 << 20, 600 << 20}} {
		if got := memoryLimit(c.live); got != c.want {
			t.Errorf("memoryLimit(%d MiB) = %d MiB, want %d MiB", c.live>>20, got>>20, c.want>>20)
		}
	}
}

// A heap profile is written where asked, as a gzipped profile pprof reads.
func TestHeapProfileIsWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "heap.pprof")
	if err := heapProfile(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		t.Fatalf("not a gzipped profile: % x", b[:min(len(b), 8)])
	}
	if err := heapProfile(filepath.Join(t.TempDir(), "missing", "heap.pprof")); err == nil {
		t.Error("no error for a profile in a missing directory")
	}
}
