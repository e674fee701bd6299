package wiring

import (
	"testing"

	"github.com/mltop/mltop/internal/config"
)

// drift.min_per_bucket reaches the calculator; 0 turns the minimum off
// there, not back to the default.
func TestDriftOptionsMinPerBucket(t *testing.T) {
	for _, tc := range []struct{ key, want float64 }{{100, 100}, {25, 25}, {0, -1}} {
		cfg := config.Default()
		cfg.Drift.MinPerBucket = tc.key
		if got := driftOptions(cfg).MinPerBucket; got != tc.want {
			t.Errorf("drift.min_per_bucket %v: calculator minimum %v, want %v", tc.key, got, tc.want)
		}
	}
}
