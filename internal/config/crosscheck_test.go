package config_test

import (
	"slices"
	"testing"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
)

// config imports nothing of ours, so it keeps copies; these tests keep the
// copies equal to the originals.

func TestRolesMatchFleet(t *testing.T) {
	var want []string
	for _, r := range fleet.AllRoles {
		want = append(want, string(r))
	}
	if got := config.KnownRoles(); !slices.Equal(got, want) {
		t.Errorf("config.KnownRoles() = %v\nfleet.AllRoles     = %v", got, want)
	}
}

func TestDriftMethodsMatchDrift(t *testing.T) {
	for name, canon := range config.DriftMethods {
		if got := drift.Canonical(name); got != canon {
			t.Errorf("%q: config says %q, drift.Canonical says %q", name, canon, got)
		}
		if _, ok := drift.DefaultThreshold(canon); !ok {
			t.Errorf("%q: drift has no default threshold, so it does not know the method", canon)
		}
		if got := config.PValueMethods[canon]; got != drift.IsPValue(canon) {
			t.Errorf("%q: config p-value %v, drift.IsPValue %v", canon, got, drift.IsPValue(canon))
		}
	}
}

func TestThresholdDefaultsMatchFleet(t *testing.T) {
	got := config.DefaultEnv(nil).Thresholds
	want := fleet.DefaultThresholds
	if got.ErrorRate != want.ErrorRate || got.LabelAge != want.LabelAge || got.QualityDrop != want.QualityDrop {
		t.Errorf("config defaults %+v differ from fleet.DefaultThresholds %+v", got, want)
	}
}

func TestMinPerBucketMatchesHistdrift(t *testing.T) {
	if config.DefaultMinPerBucket != histdrift.DefaultMinPerBucket {
		t.Errorf("drift.min_per_bucket defaults to %v, histdrift to %v", config.DefaultMinPerBucket, histdrift.DefaultMinPerBucket)
	}
}
