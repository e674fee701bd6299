package driftcalc

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift"
)

const (
	benchModels   = 1000
	benchFeatures = 20
	benchBins     = 20
)

// benchInput is one refresh of a large fleet: 1,000 models × 20 numeric
// features × 20 buckets, current and reference windows, as the two bucket
// queries return them (400,000 samples each).
func benchInput() Input {
	rng := rand.New(rand.NewPCG(7, 11))
	bounds := make([]float64, benchBins)
	for i := range benchBins - 1 {
		bounds[i] = float64(i+1) * 0.1
	}
	bounds[benchBins-1] = math.Inf(1)
	var in Input
	in.Buckets = make(model.Vector, 0, benchModels*benchFeatures*benchBins)
	in.BucketsRef = make(model.Vector, 0, benchModels*benchFeatures*benchBins)
	ref := make([]float64, benchBins)
	cur := make([]float64, benchBins)
	for m := range benchModels {
		name := fmt.Sprintf("model-%04d", m)
		for f := range benchFeatures {
			feat := fmt.Sprintf("feature_%02d", f)
			shift := rng.Float64() * 0.5
			for i := range benchBins {
				ref[i] = float64(500 + rng.IntN(100))
				cur[i] = math.Round(float64(500+rng.IntN(100)) * (1 + shift*float64(i)/benchBins))
			}
			in.Buckets = append(in.Buckets, bucketSamples(name, "1", feat, bounds, cur)...)
			in.BucketsRef = append(in.BucketsRef, bucketSamples(name, "1", feat, bounds, ref)...)
		}
	}
	return in
}

// BenchmarkComputeFleet is one refresh's drift for 1,000 models × 20
// features × 20 buckets.
//
//   - refresh: a refresh with a new current window: the reference unchanged
//     since the last one, the current window grouped and every feature
//     judged;
//   - unchanged: neither window re-read since the last refresh (their
//     queries run once a minute with the default windows): the last answer,
//     copied;
//   - first: a new calculator: both windows grouped, buffers grown;
//   - statistics: the judging alone, on histograms already grouped.
func BenchmarkComputeFleet(b *testing.B) {
	in := benchInput()
	features := func(b *testing.B, res map[VersionKey]Result) {
		n := 0
		for _, r := range res {
			n += len(r.Features)
		}
		if n != benchModels*benchFeatures {
			b.Fatalf("%d features judged", n)
		}
	}
	// A second answer to the current query: the same values in new
	// samples, as a re-run query returns them.
	in2 := in
	in2.Buckets = make(model.Vector, len(in.Buckets))
	for i, s := range in.Buckets {
		c := *s
		in2.Buckets[i] = &c
	}
	for _, method := range []string{drift.Auto, drift.PSI} {
		b.Run("refresh/"+method, func(b *testing.B) {
			c := New(Options{Method: method})
			c.Compute(in)
			b.ReportAllocs()
			odd := false
			for b.Loop() {
				odd = !odd
				if odd {
					features(b, c.Compute(in2))
				} else {
					features(b, c.Compute(in))
				}
			}
		})
	}
	b.Run("unchanged/auto", func(b *testing.B) {
		c := New(Options{})
		c.Compute(in)
		b.ReportAllocs()
		for b.Loop() {
			features(b, c.Compute(in))
		}
	})
	b.Run("first/auto", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			features(b, New(Options{}).Compute(in))
		}
	})
	b.Run("statistics/auto", func(b *testing.B) {
		c := New(Options{})
		var cur numSide
		var les leCache
		cur.fill(in.Buckets, &les)
		ref := c.refNum.numericFor(in.BucketsRef, &c.scratch, &les)
		pairs := make([][2]drift.Binned, len(cur.groups))
		for i := range cur.groups {
			bn, err := cur.groups[i].binned()
			if err != nil {
				b.Fatal(err)
			}
			pairs[i] = [2]drift.Binned{ref[cur.groups[i].key].b, bn}
		}
		b.ReportAllocs()
		for b.Loop() {
			for _, p := range pairs {
				if _, err := c.judgeBinned(p[0], p[1]); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
