package wiring

import (
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// The missing-value counts are re-read as the histograms beside them:
// the current window every 1/60 of drift.window, the reference every
// minute or 1/60 of its window.
func TestFeatureMissingReadEvery(t *testing.T) {
	cfg := config.Default()
	qs, err := pollQueries(cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := map[fleet.Role]time.Duration{}
	for _, q := range qs {
		got[q.Role] = q.Every
	}
	if got[fleet.RoleFeatureMissing] != time.Minute || got[fleet.RoleFeatureMissingRef] != 24*time.Hour/60 {
		t.Errorf("feature_missing every %v, its reference every %v; want 1m and 24m", got[fleet.RoleFeatureMissing], got[fleet.RoleFeatureMissingRef])
	}
}
