package merge

import (
	"math"
	"reflect"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

type vecs = map[fleet.Role]model.Vector

var defaultMergeConfig = MergeConfig{
	ServingAlias:   "champion",
	CandidateAlias: "challenger",
}

type mergeCase struct {
	name  string
	in    vecs
	reg   *fleet.Registry
	cfg   *MergeConfig
	check func(t *testing.T, got Merged)
}

func runMergeCases(t *testing.T, cases []mergeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := defaultMergeConfig
			if tc.cfg != nil {
				cfg = *tc.cfg
			}
			tc.check(t, judged(tc.in, tc.reg, cfg))
		})
	}
}

func TestMergeServing(t *testing.T) {
	runMergeCases(t, []mergeCase{
		{
			name: "serving, label and latency roles land in their fields",
			in: vecs{
				fleet.RoleRequestRate:     {sample(12.5, "model", "fraud", "version", "3")},
				fleet.RoleErrorRatio:      {sample(0.01, "model", "fraud", "version", "3")},
				fleet.RoleLatencyP50:      {sample(0.02, "model", "fraud", "version", "3")},
				fleet.RoleLatencyP99:      {sample(0.4, "model", "fraud", "version", "3")},
				fleet.RoleLatencyMean:     {sample(0.05, "model", "fraud", "version", "3")},
				fleet.RoleLabeledFraction: {sample(0.3, "model", "fraud", "version", "3")},
				fleet.RoleLabelDelayP50:   {sample(60, "model", "fraud", "version", "3")},
				fleet.RoleLabelDelayP95:   {sample(3600, "model", "fraud", "version", "3")},
				fleet.RoleLabelAge:        {sample(120, "model", "fraud", "version", "3")},
			},
			check: func(t *testing.T, got Merged) {
				m := findModel(t, got.Models, "fraud")
				v := findVersion(t, m, "3")
				if !eqPtr(v.RequestsPerSecond, 12.5) || !eqPtr(v.ErrorRate, 0.01) {
					t.Errorf("rps/error = %v/%v", v.RequestsPerSecond, v.ErrorRate)
				}
				l := v.Latency
				if l.Kind != fleet.LatencyHistogram || !eqPtr(l.P50, 0.02) || l.P95 != nil || !eqPtr(l.P99, 0.4) || !eqPtr(l.Mean, 0.05) {
					t.Errorf("latency = %+v", l)
				}
				g := v.GroundTruth
				if !eqPtr(g.LabeledFraction, 0.3) || !eqPtr(g.DelayP50Seconds, 60) || !eqPtr(g.DelayP95Seconds, 3600) || !eqPtr(g.LastLabelAgeSeconds, 120) {
					t.Errorf("ground truth = %+v", g)
				}
				if !m.Serving || !v.Serving || m.InRegistry || v.InRegistry {
					t.Errorf("serving/registry flags: model %v/%v version %v/%v", m.Serving, m.InRegistry, v.Serving, v.InRegistry)
				}
				if m.Tags != nil || m.Aliases != nil || v.Performance != nil || v.Drift != nil || m.Rollout != nil {
					t.Errorf("unknowns must stay nil: %+v", m)
				}
			},
		},
		{
			name: "latency kind is mean when only a mean is known, empty when nothing is",
			in: vecs{
				fleet.RoleLatencyMean:     {sample(0.1, "model", "a", "version", "1")},
				fleet.RoleLatencyP95:      {sample(math.NaN(), "model", "a", "version", "1")},
				fleet.RoleRequestRate:     {sample(1, "model", "b", "version", "1")},
				fleet.RoleLabeledFraction: {sample(0.5, "model", "c", "version", "1")},
			},
			check: func(t *testing.T, got Merged) {
				if l := findVersion(t, findModel(t, got.Models, "a"), "1").Latency; l.Kind != fleet.LatencyMean || l.P95 != nil {
					t.Errorf("a latency = %+v", l)
				}
				if l := findVersion(t, findModel(t, got.Models, "b"), "1").Latency; l.Kind != "" || l.Mean != nil {
					t.Errorf("b latency = %+v", l)
				}
			},
		},
		{
			name: "NaN and Inf are unknown, never 0, and the version is still listed",
			in: vecs{
				fleet.RoleRequestRate: {sample(math.Inf(1), "model", "a", "version", "1")},
				fleet.RoleErrorRatio:  {sample(math.NaN(), "model", "a", "version", "1")},
				fleet.RoleLabelAge:    {sample(math.Inf(-1), "model", "a", "version", "1")},
				fleet.RolePerformance: {sample(math.NaN(), "model", "a", "version", "1", "metric", "auc")},
				fleet.RoleDriftScore:  {sample(math.NaN(), "model", "a", "version", "1", "feature", "x", "method", "psi")},
				fleet.RoleRolloutStep: {sample(math.NaN(), "model", "a")},
			},
			check: func(t *testing.T, got Merged) {
				m := findModel(t, got.Models, "a")
				v := findVersion(t, m, "1")
				if v.RequestsPerSecond != nil || v.ErrorRate != nil || v.GroundTruth.LastLabelAgeSeconds != nil || v.Performance != nil || v.Drift != nil {
					t.Errorf("non-finite values must be nil: %+v", v)
				}
				if !v.Serving {
					t.Error("a version named by metrics serves even if its values are unknown")
				}
				if m.Rollout != nil {
					t.Errorf("rollout from a NaN step: %+v", m.Rollout)
				}
				if v.Health.Status != fleet.StatusUnknown {
					t.Errorf("health of a version with no data = %v", v.Health.Status)
				}
			},
		},
		{
			name: "samples without a model label are ignored and counted; a missing version is kept as empty",
			in: vecs{
				fleet.RoleRequestRate: {
					sample(5, "version", "1"),
					sample(7, "model", "", "version", "2"),
					sample(9, "model", "kserve-iris"),
				},
				fleet.RoleRolloutInfo: {sample(1, "phase", "Healthy")},
			},
			check: func(t *testing.T, got Merged) {
				if got.Unlabelled != 3 {
					t.Errorf("Unlabelled = %d, want 3", got.Unlabelled)
				}
				if len(got.Models) != 1 {
					t.Fatalf("models = %d, want 1", len(got.Models))
				}
				if v := findVersion(t, &got.Models[0], ""); !eqPtr(v.RequestsPerSecond, 9) {
					t.Errorf("version \"\" rps = %v", v.RequestsPerSecond)
				}
			},
		},
		{
			name: "performance by metric",
			in: vecs{fleet.RolePerformance: {
				sample(0.91, "model", "a", "version", "1", "metric", "auc"),
				sample(0.8, "model", "a", "version", "1", "metric", "f1"),
				sample(0.5, "model", "a", "version", "1"),
			}},
			check: func(t *testing.T, got Merged) {
				v := findVersion(t, findModel(t, got.Models, "a"), "1")
				if want := map[string]float64{"auc": 0.91, "f1": 0.8}; !reflect.DeepEqual(v.Performance, want) {
					t.Errorf("performance = %v, want %v", v.Performance, want)
				}
			},
		},
		{
			name: "traffic weights and rollout info make the rollout",
			in: vecs{
				fleet.RoleTrafficWeight: {
					sample(80, "model", "a", "version", "7", "track", "stable"),
					sample(20, "model", "a", "version", "8", "track", "Canary"),
					sample(5, "model", "a", "version", "6", "track", "stable"),
				},
				fleet.RoleRolloutInfo: {
					sample(0, "model", "a", "phase", "Healthy", "strategy", "canary"),
					sample(1, "model", "a", "phase", "Progressing", "strategy", "canary"),
					sample(0, "model", "a", "phase", "Aborted", "strategy", "canary"),
				},
				fleet.RoleRolloutStep:  {sample(2, "model", "a")},
				fleet.RoleRolloutSteps: {sample(4, "model", "a")},
				fleet.RoleRolloutSetWt: {sample(25, "model", "a")},
			},
			check: func(t *testing.T, got Merged) {
				m := findModel(t, got.Models, "a")
				r := m.Rollout
				if r == nil {
					t.Fatal("no rollout")
				}
				if r.Phase != "Progressing" || r.Strategy != "canary" || r.Stable != "7" || r.Candidate != "8" {
					t.Errorf("rollout = %+v", r)
				}
				if want := map[string]float64{"6": 5, "7": 80, "8": 20}; !reflect.DeepEqual(r.Weights, want) {
					t.Errorf("weights = %v", r.Weights)
				}
				if r.Step == nil || *r.Step != 2 || r.Steps == nil || *r.Steps != 4 || !eqPtr(r.SetWeight, 25) {
					t.Errorf("steps = %v/%v set %v", r.Step, r.Steps, r.SetWeight)
				}
				if v := findVersion(t, m, "8"); v.Track != fleet.TrackCanary || !eqPtr(v.TrafficWeight, 20) {
					t.Errorf("canary version = %+v", v)
				}
				if m.Health.Status != fleet.StatusOK {
					t.Errorf("a progressing rollout with no findings: health %v", m.Health.Status)
				}
			},
		},
		{
			name: "tracks without rollout_info give a rollout with no phase; neither gives none; a shadow is the candidate when there is no canary",
			in: vecs{
				fleet.RoleTrafficWeight: {
					sample(100, "model", "a", "version", "1", "track", "stable"),
					sample(0, "model", "a", "version", "2", "track", "shadow"),
				},
				fleet.RoleRequestRate: {sample(3, "model", "b", "version", "1")},
			},
			check: func(t *testing.T, got Merged) {
				r := findModel(t, got.Models, "a").Rollout
				if r == nil || r.Phase != "" || r.Stable != "1" || r.Candidate != "2" {
					t.Errorf("rollout of a = %+v", r)
				}
				if r := findModel(t, got.Models, "b").Rollout; r != nil {
					t.Errorf("rollout of b = %+v, want nil", r)
				}
			},
		},
		{
			name: "degraded rollout and error rate feed health",
			in: vecs{
				fleet.RoleRolloutInfo: {sample(1, "model", "a", "phase", "Degraded", "strategy", "canary")},
				fleet.RoleRequestRate: {sample(10, "model", "b", "version", "1")},
				fleet.RoleErrorRatio:  {sample(0.2, "model", "b", "version", "1")},
			},
			check: func(t *testing.T, got Merged) {
				if s := findModel(t, got.Models, "a").Health.Status; s != fleet.StatusCritical {
					t.Errorf("a health = %v", s)
				}
				b := findModel(t, got.Models, "b")
				if b.Health.Status != fleet.StatusCritical || len(b.Health.Findings) == 0 || b.Health.Findings[0].Check != fleet.CheckErrorRate {
					t.Errorf("b health = %+v", b.Health)
				}
			},
		},
	})
}

func TestMergeSharesNothingMutable(t *testing.T) {
	reg := &fleet.Registry{Models: []fleet.RegisteredModel{{
		Name: "a", Tags: map[string]string{"team": "x"}, Aliases: map[string]string{"champion": "1"},
		Versions: []fleet.RegisteredVersion{{Version: "1", Baseline: map[string]float64{"auc": 0.9},
			Lineage: fleet.Lineage{RunID: "r", Dataset: &fleet.Dataset{Name: "d"}}}},
	}}}
	in := vecs{fleet.RolePerformance: {sample(0.9, "model", "a", "version", "1", "metric", "auc")}}
	first := judged(in, reg, defaultMergeConfig)

	// Mutating the inputs must not reach a published result...
	reg.Models[0].Tags["team"] = "changed"
	reg.Models[0].Aliases["champion"] = "2"
	reg.Models[0].Versions[0].Baseline["auc"] = 0
	reg.Models[0].Versions[0].Lineage.Dataset.Name = "changed"
	m := first.Models[0]
	v := m.Versions[0]
	if m.Tags["team"] != "x" || m.Aliases["champion"] != "1" || v.Baseline["auc"] != 0.9 || v.Lineage.Dataset.Name != "d" {
		t.Fatalf("result shares maps with the registry: %+v %+v", m, v)
	}
	// ...and a later merge must not reach an earlier result.
	second := judged(in, reg, defaultMergeConfig)
	second.Models[0].Version("1").Performance["auc"] = 0
	second.Models[0].Tags["team"] = "again"
	if first.Models[0].Versions[0].Performance["auc"] != 0.9 || first.Models[0].Tags["team"] != "x" {
		t.Fatal("two merges share maps")
	}
}

func modelNames(ms []fleet.Model) []string {
	out := make([]string, len(ms))
	for i := range ms {
		out[i] = ms[i].Name
	}
	return out
}

func versionIDs(m *fleet.Model) []string {
	out := make([]string, len(m.Versions))
	for i := range m.Versions {
		out[i] = m.Versions[i].Version
	}
	return out
}
