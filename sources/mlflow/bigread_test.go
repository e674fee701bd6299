package mlflow

import (
	"context"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
)

// readThroughPoller reads g's registry through a poller at the default
// refresh (5 s, each attempt cut at 5 s), refreshing back to back as the
// poller does when a read takes the whole refresh, until the registry
// source is OK. It returns the snapshots' progress along the way.
func readThroughPoller(tb testing.TB, g *bigRegistry) (fleet.Snapshot, []*fleet.Progress) {
	tb.Helper()
	srv := httptest.NewServer(g)
	tb.Cleanup(srv.Close)
	c, err := NewClient(Options{TrackingURI: srv.URL, Getenv: noEnv})
	if err != nil {
		tb.Fatal(err)
	}
	p := poll.New(poll.Options{Registry: NewSource(c, SourceOptions{})})
	var seen []*fleet.Progress
	for attempt := 1; attempt <= 60; attempt++ {
		s := p.PollOnce(context.Background())
		st := s.Sources[0]
		if st.OK {
			return s, seen
		}
		if st.Progress == nil {
			tb.Fatalf("attempt %d: unfinished without progress: %+v", attempt, st)
		}
		seen = append(seen, st.Progress)
	}
	tb.Fatalf("not complete after 60 refreshes; progress %v", seen)
	return fleet.Snapshot{}, nil
}

// TestTenThousandModelsFirstReadCompletesAtTheDefaultRefresh: a registry
// too large to read in one refresh is read over several, each going on
// where the last stopped, with progress shown until it completes.
func TestTenThousandModelsFirstReadCompletesAtTheDefaultRefresh(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 10,000 models over several 5 s refreshes")
	}
	// 2 ms a request: 30,010 requests at 8 in flight take at least 7.5 s,
	// more than one refresh.
	g := &bigRegistry{models: 10000, versions: 2, delay: 2 * time.Millisecond}
	start := time.Now()
	s, seen := readThroughPoller(t, g)
	took := time.Since(start)
	if len(s.Models) != 10000 {
		t.Fatalf("%d models", len(s.Models))
	}
	if len(seen) == 0 {
		t.Fatal("read in one refresh: the test does not exercise resuming")
	}
	for i, p := range seen {
		if p.Total != 10000 && p.Total != 0 || p.Unit != "models" || i > 0 && p.Done <= seen[i-1].Done && p.Total == seen[i-1].Total {
			t.Errorf("progress %d: %+v after %+v", i, p, seen[max(i-1, 0)])
		}
	}
	// Pages, versions and runs read once each; requests cut off in flight
	// at each deadline are the only ones sent twice.
	want := int64(10 + 10000 + 20000)
	if got := g.requests.Load(); got < want || got > want+int64(len(seen)*defaultWorkers) {
		t.Errorf("%d requests, want %d plus at most %d cut off in flight", got, want, len(seen)*defaultWorkers)
	}
	t.Logf("10,000 models read in %d refreshes, %s, %d requests; progress %v", len(seen)+1, took.Round(time.Millisecond), g.requests.Load(), seen)
}

// BenchmarkRegistryFirstRead10000 reads 10,000 models × 10 versions through
// a poller at the default refresh. Run with -benchtime=1x.
func BenchmarkRegistryFirstRead10000(b *testing.B) {
	var requests, refreshes int64
	var peak uint64
	for b.Loop() {
		g := &bigRegistry{models: 10000, versions: 10}
		done := make(chan struct{})
		go func() { // heap high-water mark, sampled
			t := time.NewTicker(20 * time.Millisecond)
			defer t.Stop()
			var ms runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-t.C:
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
				}
			}
		}()
		s, seen := readThroughPoller(b, g)
		close(done)
		if len(s.Models) != 10000 {
			b.Fatalf("%d models", len(s.Models))
		}
		requests += g.requests.Load()
		refreshes += int64(len(seen) + 1)
	}
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(refreshes)/float64(b.N), "refreshes/op")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
