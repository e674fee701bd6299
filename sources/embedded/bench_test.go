package embedded

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"
)

const (
	benchSeries   = 1000
	benchInterval = 5 * time.Second
	benchRounds   = 720 // 1 h at 5 s
)

// benchLabels are 1,000 series of one metric: 50 models x 20 versions.
func benchLabels() []labels.Labels {
	out := make([]labels.Labels, 0, benchSeries)
	for i := range benchSeries {
		out = append(out, labels.FromStrings(
			"__name__", "x", "instance", "127.0.0.1:8000", "job", "mltop",
			"model", fmt.Sprintf("model-%02d", i/20), "version", fmt.Sprint(i%20)))
	}
	return out
}

// fillStore appends rounds scrapes of all series through the commit path,
// one batch per scrape, ending at end.
func fillStore(s *store, lsets []labels.Labels, end time.Time, rounds int, next func(series int) float64) {
	hashes := make([]uint64, len(lsets))
	for i, l := range lsets {
		hashes[i] = l.Hash()
	}
	var b batch
	for r := range rounds {
		ts := end.Add(-time.Duration(rounds-1-r) * benchInterval).UnixMilli()
		b.reset()
		for i, l := range lsets {
			b.add(l, hashes[i], ts, next(i))
		}
		s.commit(&b, ts)
	}
}

// BenchmarkMemory1000Series1h measures the heap held by 1,000 series x 1 h
// at a 5 s interval (720,000 samples): counters growing by whole numbers
// (request counts: they compress well) and random floats (the worst case).
func BenchmarkMemory1000Series1h(b *testing.B) {
	for _, kind := range []string{"counters", "random-floats"} {
		b.Run(kind, func(b *testing.B) {
			lsets := benchLabels()
			var held uint64
			for b.Loop() {
				rng := rand.New(rand.NewPCG(1, 2))
				vals := make([]float64, benchSeries)
				next := func(i int) float64 {
					if kind == "counters" {
						vals[i] += float64(rng.IntN(100))
					} else {
						vals[i] = rng.Float64() * 1000
					}
					return vals[i]
				}
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				s := newStore(DefaultRetention)
				fillStore(s, lsets, t0, benchRounds, next)
				runtime.GC()
				runtime.ReadMemStats(&after)
				held = after.HeapInuse - before.HeapInuse
				if st := s.stats(); st.Samples != benchSeries*benchRounds {
					b.Fatalf("stored %d samples, want %d", st.Samples, benchSeries*benchRounds)
				}
				runtime.KeepAlive(s)
			}
			b.ReportMetric(float64(held)/float64(benchSeries*benchRounds), "B/sample")
			b.ReportMetric(float64(held)/(1<<20), "MiB")
		})
	}
}

// BenchmarkQuerySumRate1000Series is one instant query as the dashboard
// sends it, over 1,000 series holding 1 h of data.
func BenchmarkQuerySumRate1000Series(b *testing.B) {
	e, err := New(Options{Targets: []string{"http://127.0.0.1:1/metrics"}})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	vals := make([]float64, benchSeries)
	fillStore(e.store, benchLabels(), t0, benchRounds, func(i int) float64 {
		vals[i] += float64(rng.IntN(100))
		return vals[i]
	})
	ctx := context.Background()
	for b.Loop() {
		v, _, err := e.Query(ctx, "sum by (model, version) (rate(x[1m]))", t0)
		if err != nil || len(v) != benchSeries {
			b.Fatalf("got %d series, %v", len(v), err)
		}
	}
}

// BenchmarkScrape1000Series is one scrape of a 1,000-series exposition over
// loopback HTTP: fetch, parse, label, commit.
func BenchmarkScrape1000Series(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("# TYPE x counter\n")
	for i := range benchSeries {
		fmt.Fprintf(&sb, "x{model=\"model-%02d\",version=\"%d\"} %d\n", i/20, i%20, i*7)
	}
	x := newExporter(b, sb.String())
	c := newClock()
	e, err := New(Options{Targets: []string{x.URL()}, Now: c.Now})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		c.Advance(benchInterval)
		if err := e.ScrapeOnce(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHistogramQuery is the current window's bucket query of a fleet
// of 1,000 models × 20 features × 20 buckets (400,000 series), answered
// as samples with a label map each (Query) and as a table of the four
// labels drift reads (QueryTable).
func BenchmarkHistogramQuery(b *testing.B) {
	e, err := New(Options{Targets: []string{"http://127.0.0.1:1/metrics"}})
	if err != nil {
		b.Fatal(err)
	}
	const models, features, buckets = 1000, 20, 20
	lsets := make([]labels.Labels, 0, models*features*buckets)
	for m := range models {
		for f := range features {
			for le := range buckets {
				lsets = append(lsets, labels.FromStrings("__name__", "x_bucket", "feature", fmt.Sprintf("f%02d", f),
					"instance", "127.0.0.1:8000", "job", "mltop", "le", fmt.Sprint(le), "model", fmt.Sprintf("model-%04d", m), "version", "1"))
			}
		}
	}
	rounds := 0
	fillStore(e.store, lsets, t0, 3, func(i int) float64 { rounds++; return float64(rounds / len(lsets)) })
	ctx := context.Background()
	const expr = "sum by (model, version, feature, le) (increase(x_bucket[1m]))"
	b.Run("samples", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, _, err := e.Query(ctx, expr, t0)
			if err != nil || len(v) != len(lsets) {
				b.Fatalf("got %d series, %v", len(v), err)
			}
		}
	})
	b.Run("table", func(b *testing.B) {
		b.ReportAllocs()
		cols := []string{"model", "version", "feature", "le"}
		for b.Loop() {
			t, _, err := e.QueryTable(ctx, expr, t0, cols)
			if err != nil || t.Len() != len(lsets) {
				b.Fatalf("got %d rows, %v", t.Len(), err)
			}
		}
	})
}
