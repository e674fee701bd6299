package merge

import (
	"math"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

func TestMergeWarmingUp(t *testing.T) {
	runMergeCases(t, []mergeCase{{
		name: "a version the warming_up query names is warming up; the others and NaN are not",
		in: vecs{
			fleet.RoleRequestRate: {
				sample(3, "model", "fraud", "version", "3"),
				sample(5, "model", "fraud", "version", "4"),
				sample(7, "model", "fraud", "version", "5"),
			},
			fleet.RoleWarmingUp: {
				sample(2, "model", "fraud", "version", "4"),
				sample(math.NaN(), "model", "fraud", "version", "5"),
			},
		},
		check: func(t *testing.T, got Merged) {
			m := findModel(t, got.Models, "fraud")
			for version, want := range map[string]bool{"3": false, "4": true, "5": false} {
				if v := findVersion(t, m, version); v.WarmingUp != want {
					t.Errorf("v%s warming up = %v, want %v", version, v.WarmingUp, want)
				}
			}
		},
	}})
}
