package merge

import (
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

func TestMergeDrift(t *testing.T) {
	runMergeCases(t, []mergeCase{
		{
			name: "drift per feature with default thresholds, worst by severity, dataset verdict by share",
			in: vecs{fleet.RoleDriftScore: {
				sample(0.25, "model", "a", "version", "1", "feature", "amount", "method", "psi"),   // 2.5x
				sample(0.01, "model", "a", "version", "1", "feature", "country", "method", "chi2"), // p-value: 5x
				sample(0.05, "model", "a", "version", "1", "feature", "age", "method", "psi"),      // not drifted
				sample(0.30, "model", "a", "version", "1", "feature", "age", "method", "ks"),       // not drifted
				sample(0.5, "model", "a", "version", "1", "feature", "hour", "method", "psi"),      // 5x, as severe as country
				sample(0.2, "model", "a", "version", "1", "feature", "__prediction__", "method", "psi"),
				sample(3, "model", "a", "version", "1", "feature", "weird", "method", "madeup"),
			}},
			check: func(t *testing.T, got Merged) {
				d := findVersion(t, findModel(t, got.Models, "a"), "1").Drift
				if d == nil {
					t.Fatal("no drift")
				}
				// country: 0.05/0.01 = 5; hour: 0.5/0.1 = 5: the tie goes to the name.
				if d.Feature != "country" || d.Method != "chisquare" || !eqPtr(d.Score, 0.01) || !eqPtr(d.Threshold, 0.05) {
					t.Errorf("worst = %s %s %v %v", d.Feature, d.Method, d.Score, d.Threshold)
				}
				// Judged features: age (no), amount, country, hour (yes) = 3/4.
				if d.Drifted == nil || !*d.Drifted {
					t.Errorf("dataset drifted = %v", d.Drifted)
				}
				if len(d.Features) != 6 {
					t.Fatalf("features = %d, want 6 (prediction apart)", len(d.Features))
				}
				order := []string{"age/ks", "age/psi", "amount/psi", "country/chisquare", "hour/psi", "weird/madeup"}
				for i, f := range d.Features {
					if got := f.Feature + "/" + f.Method; got != order[i] {
						t.Errorf("feature %d = %s, want %s", i, got, order[i])
					}
				}
				byName := map[string]fleet.FeatureDrift{}
				for _, f := range d.Features {
					byName[f.Feature+"/"+f.Method] = f
				}
				if f := byName["country/chisquare"]; f.PValue == nil || *f.PValue != 0.01 || f.Drifted == nil || !*f.Drifted {
					t.Errorf("p-value feature = %+v", f)
				}
				if f := byName["age/ks"]; f.Drifted == nil || *f.Drifted || !eqPtr(f.Threshold, 0.05) {
					t.Errorf("ks feature = %+v", f)
				}
				if f := byName["weird/madeup"]; f.Threshold != nil || f.Drifted != nil || f.PValue != nil {
					t.Errorf("unknown method must have no verdict: %+v", f)
				}
				p := d.Prediction
				if p == nil || p.Feature != "__prediction__" || p.Drifted == nil || !*p.Drifted {
					t.Errorf("prediction drift = %+v", p)
				}
			},
		},
		{
			name: "drift thresholds from config; share below the bar is not dataset drift",
			in: vecs{fleet.RoleDriftScore: {
				sample(0.15, "model", "a", "version", "1", "feature", "x", "method", "psi"),
				sample(0.15, "model", "a", "version", "1", "feature", "y", "method", "psi"),
				sample(0.25, "model", "a", "version", "1", "feature", "z", "method", "psi"),
				sample(0.8, "model", "a", "version", "1", "feature", "prediction", "method", "js"),
			}},
			cfg: &MergeConfig{DriftThresholds: map[string]float64{"PSI": 0.2}},
			check: func(t *testing.T, got Merged) {
				d := findVersion(t, findModel(t, got.Models, "a"), "1").Drift
				if d.Drifted == nil || *d.Drifted {
					t.Errorf("1 of 3 drifted is below a 0.5 share: %v", d.Drifted)
				}
				if d.Feature != "z" || !eqPtr(d.Threshold, 0.2) {
					t.Errorf("worst = %s at threshold %v", d.Feature, d.Threshold)
				}
				if d.Prediction == nil || d.Prediction.Method != "jensenshannon" {
					t.Errorf("prediction = %+v", d.Prediction)
				}
			},
		},
		{
			name: "a share exactly at the bar is dataset drift; only unjudged features give no verdict",
			in: vecs{fleet.RoleDriftScore: {
				sample(0.3, "model", "a", "version", "1", "feature", "x", "method", "psi"),
				sample(0.01, "model", "a", "version", "1", "feature", "y", "method", "psi"),
				sample(9, "model", "b", "version", "1", "feature", "x", "method", "custom"),
			}},
			check: func(t *testing.T, got Merged) {
				if d := findVersion(t, findModel(t, got.Models, "a"), "1").Drift; d.Drifted == nil || !*d.Drifted {
					t.Errorf("1 of 2 at share 0.5: %v", d.Drifted)
				}
				d := findVersion(t, findModel(t, got.Models, "b"), "1").Drift
				if d == nil || d.Drifted != nil || d.Score != nil || len(d.Features) != 1 {
					t.Errorf("unjudged drift = %+v", d)
				}
			},
		},
	})
}
