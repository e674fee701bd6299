package drift

import (
	"math"
	"math/rand/v2"
	"testing"
)

const (
	fleetModels   = 1000
	fleetFeatures = 20
	fleetBins     = 20
)

type featurePair struct{ ref, cur Binned }

// fleet builds one refresh's worth of histograms: reference buckets at the
// reference's quantiles (so roughly equal counts), current data with a
// feature-specific shift.
func fleet() []featurePair {
	rng := rand.New(rand.NewPCG(7, 11))
	pairs := make([]featurePair, 0, fleetModels*fleetFeatures)
	for range fleetModels * fleetFeatures {
		bounds := make([]float64, fleetBins)
		for i := range fleetBins - 1 {
			bounds[i] = float64(i+1) * 0.1
		}
		bounds[fleetBins-1] = math.Inf(1)
		ref := make([]float64, fleetBins)
		cur := make([]float64, fleetBins)
		shift := rng.Float64() * 0.5
		for i := range fleetBins {
			ref[i] = float64(500 + rng.IntN(100))
			cur[i] = math.Round(float64(50+rng.IntN(10)) * (1 + shift*float64(i)/fleetBins))
		}
		pairs = append(pairs, featurePair{Binned{bounds, ref}, Binned{bounds, cur}})
	}
	return pairs
}

var benchSink float64

// BenchmarkFleetDrift is one refresh of a large fleet: 1,000 models × 20
// features × 20 buckets, every feature judged against its reference. One op
// is the whole refresh.
func BenchmarkFleetDrift(b *testing.B) {
	pairs := fleet()
	run := func(name string, f func(p featurePair) float64) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range pairs {
					benchSink += f(p)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(pairs)), "ns/feature")
		})
	}
	run("psi+ks", func(p featurePair) float64 {
		psi, _ := PopulationStabilityIndex(p.ref.Counts, p.cur.Counts)
		_, pv, _ := KolmogorovSmirnov(p.ref, p.cur)
		return psi + pv
	})
	run("psi", func(p featurePair) float64 {
		psi, _ := PopulationStabilityIndex(p.ref.Counts, p.cur.Counts)
		return psi
	})
	run("ks", func(p featurePair) float64 {
		_, pv, _ := KolmogorovSmirnov(p.ref, p.cur)
		return pv
	})
	run("compute-auto", func(p featurePair) float64 {
		r, _ := Compute(Auto, p.ref, p.cur, 0)
		return r.Score
	})
}
