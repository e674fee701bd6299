package histdrift

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/labelrows"
)

const (
	benchModels   = 1000
	benchFeatures = 20
	benchBins     = 20
)

// benchInput is one refresh of a large fleet: 1,000 models × 20 numeric
// features × 20 buckets, current and reference windows, as the two bucket
// queries return them (400,000 rows each), each feature's buckets
// together, as Prometheus answers such a sum (its groups in the order of
// the series, which an exporter writes feature by feature).
//
// The rows also come shuffled: every row's feature then looked up. Only
// the tables are kept, as in the dashboard, where no label maps exist.
func benchInput() (in, in2, sorted, sorted2, shuffled, shuffled2 Input) {
	rng := rand.New(rand.NewPCG(7, 11))
	bounds := make([]float64, benchBins)
	for i := range benchBins - 1 {
		bounds[i] = float64(i+1) * 0.1
	}
	bounds[benchBins-1] = math.Inf(1)
	cur := make(model.Vector, 0, benchModels*benchFeatures*benchBins)
	ref := make(model.Vector, 0, benchModels*benchFeatures*benchBins)
	refCounts := make([]float64, benchBins)
	curCounts := make([]float64, benchBins)
	for m := range benchModels {
		name := fmt.Sprintf("model-%04d", m)
		for f := range benchFeatures {
			feat := fmt.Sprintf("%s_feature_%02d", name, f) // every model its own features
			shift := rng.Float64() * 0.5
			for i := range benchBins {
				refCounts[i] = float64(500 + rng.IntN(100))
				curCounts[i] = math.Round(float64(500+rng.IntN(100)) * (1 + shift*float64(i)/benchBins))
			}
			cur = append(cur, bucketVec(name, "1", feat, bounds, curCounts)...)
			ref = append(ref, bucketVec(name, "1", feat, bounds, refCounts)...)
		}
	}
	in.Buckets = labelrows.FromVector(cur, BucketColumns)
	in.BucketsRef = labelrows.FromVector(ref, BucketColumns)
	// A second answer to the current query: the same values in a new
	// table, as a re-run query returns them.
	in2 = in
	in2.Buckets = labelrows.FromVector(cur, BucketColumns)
	shuffle := func(v model.Vector) *labelrows.Table {
		v = slices.Clone(v)
		rng.Shuffle(len(v), func(i, j int) { v[i], v[j] = v[j], v[i] })
		return labelrows.FromVector(v, BucketColumns)
	}
	shuffled = Input{Buckets: shuffle(cur), BucketsRef: shuffle(ref)}
	shuffled2 = shuffled
	shuffled2.Buckets = shuffle(cur)
	// Sorted by label set, as VictoriaMetrics answers, and Prometheus's
	// engine over sorted series (Thanos): feature, then le as text, then
	// model, so every row is another model's.
	bySet := func(v model.Vector) *labelrows.Table {
		v = slices.Clone(v)
		slices.SortFunc(v, func(a, b *model.Sample) int { return labelsCompare(a.Metric, b.Metric) })
		return labelrows.FromVector(v, BucketColumns)
	}
	sorted = Input{Buckets: bySet(cur), BucketsRef: bySet(ref)}
	sorted2 = sorted
	sorted2.Buckets = bySet(cur)
	return in, in2, sorted, sorted2, shuffled, shuffled2
}

// labelsCompare orders label sets as Prometheus's labels.Compare does.
func labelsCompare(a, b model.Metric) int {
	names := func(m model.Metric) []string {
		out := make([]string, 0, len(m))
		for n := range m {
			out = append(out, string(n))
		}
		slices.Sort(out)
		return out
	}
	an, bn := names(a), names(b)
	for i := range min(len(an), len(bn)) {
		if c := strings.Compare(an[i], bn[i]); c != 0 {
			return c
		}
		if c := strings.Compare(string(a[model.LabelName(an[i])]), string(b[model.LabelName(bn[i])])); c != 0 {
			return c
		}
	}
	return len(an) - len(bn)
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
	in, in2, sorted, sorted2, shuffled, shuffled2 := benchInput()
	features := func(b *testing.B, res map[VersionKey]Result) {
		n := 0
		for _, r := range res {
			n += len(r.Features)
		}
		if n != benchModels*benchFeatures {
			b.Fatalf("%d features judged", n)
		}
	}
	refresh := func(b *testing.B, method string, a, c Input) {
		calc := New(Options{Method: method})
		calc.Compute(a)
		b.ReportAllocs()
		odd := false
		for b.Loop() {
			odd = !odd
			if odd {
				features(b, calc.Compute(c))
			} else {
				features(b, calc.Compute(a))
			}
		}
	}
	for _, method := range []string{drift.Auto, drift.PSI} {
		b.Run("refresh/"+method, func(b *testing.B) { refresh(b, method, in, in2) })
	}
	b.Run("refresh/label-order/auto", func(b *testing.B) { refresh(b, drift.Auto, sorted, sorted2) })
	b.Run("refresh/shuffled/auto", func(b *testing.B) { refresh(b, drift.Auto, shuffled, shuffled2) })
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
				if _, err := c.scoreBinned(p[0], p[1]); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
