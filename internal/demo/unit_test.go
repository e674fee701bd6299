package demo

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestLike(t *testing.T) {
	cases := []struct {
		pattern, s string
		fold, want bool
	}{
		{"c%", "credit-risk", false, true},
		{"%risk", "credit-risk", false, true},
		{"%edit%", "credit-risk", false, true},
		{"c_edit-risk", "credit-risk", false, true},
		{"C%", "credit-risk", false, false},
		{"C%", "credit-risk", true, true},
		{"%a%b%", "xaxxbx", false, true},
		{"%a%b", "xaxxbx", false, false},
		{"", "", false, true},
		{"%", "", false, true},
		{"_", "", false, false},
	}
	for _, c := range cases {
		if got := like(c.pattern, c.s, c.fold); got != c.want {
			t.Errorf("like(%q, %q, fold=%v) = %v, want %v", c.pattern, c.s, c.fold, got, c.want)
		}
	}
}

func TestParseFilterRejectsGarbage(t *testing.T) {
	for _, f := range []string{"name", "name = ", "name = 'x' OR name = 'y'", "name = 'x", "name ~ 'x'", "foo = 'x'", "name IN ('a'"} {
		if _, err := parseFilter(f, modelFilterKeys); err == nil {
			t.Errorf("filter %q accepted", f)
		}
	}
	conds, err := parseFilter("name ILIKE '%Risk' AND tags.`a b` = \"c\" and version_number IN (1, 2)", versionFilterKeys)
	if err != nil || len(conds) != 3 || conds[1].key != "tags.a b" || conds[2].op != "IN" || len(conds[2].values) != 2 {
		t.Errorf("parse: %+v, %v", conds, err)
	}
}

func TestAllocateIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	probs := []float64{0.5, 0.25, 0.125, 0.0625, 0.0625}
	carry := make([]float64, len(probs))
	out := make([]uint64, len(probs))
	var total uint64
	for range 1000 {
		n := uint64(r.IntN(50))
		allocate(n, probs, carry, out)
		total += n
		var sum uint64
		for _, v := range out {
			sum += v
		}
		if sum != total {
			t.Fatalf("allocated %d, want %d", sum, total)
		}
	}
	for i, p := range probs {
		if got := float64(out[i]) / float64(total); math.Abs(got-p) > 0.002 {
			t.Errorf("bucket %d share %.4f, want %.4f", i, got, p)
		}
	}
}

func TestHistogramCountsEveryObservation(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	h := newHistogram(latencyBounds)
	d := latencyDist(0.018, 0.04)
	h.observeN(r, d, 100000)
	h.observeN(r, d, 7)
	var sum uint64
	for _, c := range h.counts {
		sum += c
	}
	if h.count != 100007 || sum != h.count {
		t.Errorf("count %d, buckets sum %d, want 100007", h.count, sum)
	}
	// The exported p95 interpolates within the (0.03, 0.05] bucket.
	cum := h.cumulative()
	if below := float64(cum[0.05]) / float64(h.count); below < 0.95 || below > 0.99 {
		t.Errorf("share below 50ms %.3f, want the p95 (~40ms) under it", below)
	}
}

// fixtures locates the shared fixtures next to the repository, skipping
// (or failing on CI) when they are absent.
