package demo

import (
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

func TestSameSeedSameExposition(t *testing.T) {
	steps := []time.Duration{time.Second, 3 * time.Second, 250 * time.Millisecond, 17 * time.Second, 90 * time.Second}
	run := func(seed int64) []map[string]*dto.MetricFamily {
		f := startManual(t, seed)
		var out []map[string]*dto.MetricFamily
		for _, d := range steps {
			f.Advance(d)
			out = append(out, scrapeAll(t, f))
		}
		return out
	}
	a, b, other := run(42), run(42), run(43)
	differs := false
	for i := range a {
		if len(a[i]) != len(b[i]) {
			t.Fatalf("step %d: %d families vs %d", i, len(a[i]), len(b[i]))
		}
		for name, fam := range a[i] {
			if !proto.Equal(fam, b[i][name]) {
				t.Errorf("step %d: family %s differs between runs with the same seed", i, name)
			}
			if !proto.Equal(fam, other[i][name]) {
				differs = true
			}
		}
	}
	if !differs {
		t.Error("a different seed gave the same exposition: randomness is not seeded")
	}
}
