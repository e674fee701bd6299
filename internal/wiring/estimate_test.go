package wiring

import (
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// The calibration reads days of labels: it is re-read like the drift
// reference, and the estimate adds at most two queries to the config's,
// whatever the fleet's size.
func TestEstimateQueries(t *testing.T) {
	cfg := config.Default()
	qs, err := pollQueries(cfg)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, q := range qs {
		switch q.Role {
		case fleet.RoleScoreCalibration:
			n++
			if want := 7 * 24 * time.Hour / 60; q.Every != want {
				t.Errorf("score_calibration every %v, want %v", q.Every, want)
			}
		case fleet.RolePerformanceEstimate:
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d estimate queries, want 2", n)
	}
	cfg.Estimate.CalibrationWindow = time.Hour
	if got := readEvery(cfg, fleet.RoleScoreCalibration); got != time.Minute {
		t.Errorf("a 1h calibration window is re-read every %v, want 1m", got)
	}
}
