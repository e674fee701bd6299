package demo

import (
	"context"
	"io"
	"testing"
	"time"
)

// BenchmarkTick measures one default tick of simulation; divided by
// TickInterval it is the share of one core the demo uses at Speed 60.
func BenchmarkTick(b *testing.B) {
	f, err := Start(context.Background(), Options{Seed: 1, Manual: true, Now: func() time.Time { return storyStart }})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	b.ReportAllocs()
	for b.Loop() {
		f.Advance(TickInterval)
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(TickInterval)*100, "%core")
}

// BenchmarkScrapeAll measures one scrape of every exporter.
func BenchmarkScrapeAll(b *testing.B) {
	f, err := Start(context.Background(), Options{Seed: 1, Manual: true, Now: func() time.Time { return storyStart }})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	f.Advance(10 * time.Second)
	b.ReportAllocs()
	for b.Loop() {
		for _, target := range f.Targets() {
			resp, err := client.Get(target)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
}
