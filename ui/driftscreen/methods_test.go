package driftscreen

import (
	"math"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
)

// TestFeatureScoredByTwoMethods: an exported PSI and a computed
// Wasserstein score for the same feature are two rows; each history series
// goes to the row of its own method; the dataset verdict counts the
// feature once.
func TestFeatureScoredByTwoMethods(t *testing.T) {
	thr := 0.1
	yes, no := true, false
	v := fleet.Version{Version: "3", Track: fleet.TrackStable, Serving: true, Drift: &fleet.Drift{Features: []fleet.FeatureDrift{
		{Feature: "tenure", Score: 0.11, Method: "psi", Threshold: &thr, Drifted: &yes},
		{Feature: "tenure", Score: 0.28, Method: "wasserstein", Threshold: &thr, Drifted: &yes},
		{Feature: "plan", Score: 0.01, Method: "jensenshannon", Threshold: &thr, Drifted: &no},
	}}}
	m := &fleet.Model{Name: "churn", Versions: []fleet.Version{v}}
	judge.Model(m, judge.Default())
	hist := &fleet.DriftHistory{Model: "churn", Series: []fleet.DriftSeries{
		{Version: "3", Feature: "tenure", Method: "wasserstein", Threshold: 0.1, Scores: []float64{math.NaN(), 0.05, 0.28}},
	}}
	vv := views(m, hist)
	if len(vv) != 1 || len(vv[0].rows) != 3 {
		t.Fatalf("rows = %+v", vv)
	}
	for _, r := range vv[0].rows {
		switch {
		case r.raw == "tenure" && r.method == "wasserstein" && len(r.history) != 3:
			t.Errorf("wasserstein row lacks its history: %+v", r)
		case r.raw == "tenure" && r.method == "psi" && r.history != nil:
			t.Errorf("psi row got another method's history: %+v", r)
		}
	}
	if vv[0].measured != 2 || vv[0].drifted != 1 {
		t.Errorf("dataset counts %d of %d features drifted, want 1 of 2", vv[0].drifted, vv[0].measured)
	}
}
