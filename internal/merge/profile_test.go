package merge

import (
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

func TestMergeProfile(t *testing.T) {
	runMergeCases(t, []mergeCase{{
		name: "the profile role names each version's profile, cleaned; a version it does not name has none",
		in: vecs{
			fleet.RoleRequestRate: {
				sample(3, "model", "fraud", "version", "3"),
				sample(5, "model", "iris", "version", ""),
				sample(7, "model", "churn", "version", "1"),
			},
			fleet.RoleProfile: {
				sample(1, "model", "fraud", "version", "3", "profile", "mltop"),
				sample(1, "model", "iris", "version", "", "profile", "ml\x1b[31mserver"),
			},
		},
		check: func(t *testing.T, got Merged) {
			for model, want := range map[string]string{"fraud": "mltop", "iris": "mlserver", "churn": ""} {
				m := findModel(t, got.Models, model)
				if v := m.Versions[0]; v.Profile != want {
					t.Errorf("%s %s: profile %q, want %q", model, v.Version, v.Profile, want)
				}
			}
		},
	}})
}
