package fleetscreen

import (
	"testing"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
)

// TestDataQualityCellAgreesWithTheJudge: income is gone from a version
// whose predictions do not flow: the judge says nothing, and neither
// does the DRIFT cell (its drift shows). A retyped feature reads
// "changed type", as the judge says it.
func TestDataQualityCellAgreesWithTheJudge(t *testing.T) {
	zero := 0.0
	m := fleet.Model{Name: "churn", Versions: []fleet.Version{{Version: "3", RequestsPerSecond: &zero,
		DataQuality: &fleet.DataQuality{Predictions: &zero, Features: []fleet.FeatureQuality{{Feature: "income", Absent: true}},
			Schema: []fleet.SchemaChange{{Feature: "income", Change: fleet.SchemaRemoved}}}}}}
	judge.Model(&m, judge.Default())
	for _, f := range m.Health.Findings {
		if f.Check == fleet.CheckDataQuality {
			t.Fatalf("the judge found %+v", f)
		}
	}
	if text, crit := dataQualityOf(&m.Versions[0]); text != "" || crit {
		t.Errorf("cell %q critical %v, want nothing (the judge judged nothing)", text, crit)
	}

	m.Versions[0].DataQuality.Schema = append(m.Versions[0].DataQuality.Schema, fleet.SchemaChange{Feature: "plan", Change: fleet.SchemaType})
	judge.Model(&m, judge.Default())
	if text, _ := dataQualityOf(&m.Versions[0]); text != "changed type plan" {
		t.Errorf("cell %q, want %q", text, "changed type plan")
	}
}
