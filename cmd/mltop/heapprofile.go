package main

import (
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
)

// heapProfileEnv names a file the dashboard writes a heap profile to when
// it stops: where its memory goes, for `go tool pprof` (docs/benchmarks.md).
const heapProfileEnv = "MLTOP_HEAPPROFILE"

// A finer sampling than the default 512 KiB when a profile is asked for,
// so the dashboard's smaller structures show in it.
func init() {
	if os.Getenv(heapProfileEnv) != "" {
		runtime.MemProfileRate = 16 << 10
	}
}

// writeHeapProfile writes the heap profile asked for by MLTOP_HEAPPROFILE,
// if any. Failures are logged: the profile is a diagnostic, never a reason
// to change the exit code.
func writeHeapProfile(log *slog.Logger) {
	path := os.Getenv(heapProfileEnv)
	if path == "" {
		return
	}
	if err := heapProfile(path); err != nil {
		log.Error("heap profile", "err", err)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	log.Info("memory at exit", "heap_inuse", m.HeapInuse, "heap_sys", m.HeapSys, "stack_sys", m.StackSys,
		"sys", m.Sys, "gc_cycles", m.NumGC, "total_alloc", m.TotalAlloc, "mallocs", m.Mallocs)
}

func heapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create heap profile %s: %w", path, err)
	}
	// No collection first: the profile reports the heap as of the last
	// collection while the dashboard ran, before its model was dropped.
	if err := pprof.WriteHeapProfile(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("write heap profile %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close heap profile %s: %w", path, err)
	}
	return nil
}
