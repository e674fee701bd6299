package merge

import (
	"fmt"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// benchFleet is n models × 2 versions with serving, quality, label and
// traffic figures, 10 drifting features each, and a registry for all.
func benchFleet(n int) (map[fleet.Role]model.Vector, *fleet.Registry) {
	in := map[fleet.Role]model.Vector{}
	reg := &fleet.Registry{}
	methods := []string{"psi", "ks", "jensenshannon", "wasserstein", "chisquare"}
	for i := range n {
		name := modelName(i)
		in[fleet.RoleRolloutInfo] = append(in[fleet.RoleRolloutInfo], sample(1, "model", name, "phase", "Progressing", "strategy", "canary"))
		for j, ver := range []string{"7", "8"} {
			l := []string{"model", name, "version", ver}
			for _, role := range []fleet.Role{fleet.RoleRequestRate, fleet.RoleErrorRatio, fleet.RoleLatencyP50,
				fleet.RoleLatencyP95, fleet.RoleLatencyP99, fleet.RoleLabeledFraction, fleet.RoleLabelAge} {
				in[role] = append(in[role], sample(float64(i%97)/100, l...))
			}
			in[fleet.RolePerformance] = append(in[fleet.RolePerformance], sample(0.9, append(l, "metric", "auc")...))
			in[fleet.RoleTrafficWeight] = append(in[fleet.RoleTrafficWeight],
				sample(float64(90-80*j), append(l, "track", []string{"stable", "canary"}[j])...))
			for f := range 10 {
				in[fleet.RoleDriftScore] = append(in[fleet.RoleDriftScore], sample(float64((i+f)%13)/50,
					append(l, "feature", fmt.Sprintf("f%02d", f), "method", methods[f%len(methods)])...))
			}
		}
		reg.Models = append(reg.Models, fleet.RegisteredModel{
			Name: name, Tags: map[string]string{"team": "t"}, Aliases: map[string]string{"champion": "7", "challenger": "8"},
			Versions: []fleet.RegisteredVersion{
				{Version: "8", Baseline: map[string]float64{"auc": 0.92}, Lineage: fleet.Lineage{RunID: "r8"}},
				{Version: "7", Baseline: map[string]float64{"auc": 0.91}, Lineage: fleet.Lineage{RunID: "r7"}},
				{Version: "6"},
			},
		})
	}
	return in, reg
}

func BenchmarkMerge1000Models(b *testing.B) {
	in, reg := benchFleet(1000)
	b.ReportAllocs()
	for b.Loop() {
		m := Merge(in, reg, defaultMergeConfig)
		if len(m.Models) != 1000 {
			b.Fatalf("models = %d", len(m.Models))
		}
	}
}

// BenchmarkMergeAndJudge1000Models is a refresh's work after the queries:
// the merge, then the judge, as the poller runs them.
func BenchmarkMergeAndJudge1000Models(b *testing.B) {
	in, reg := benchFleet(1000)
	b.ReportAllocs()
	for b.Loop() {
		m := judged(in, reg, defaultMergeConfig)
		if len(m.Models) != 1000 {
			b.Fatalf("models = %d", len(m.Models))
		}
	}
}
