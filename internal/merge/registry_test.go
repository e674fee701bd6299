package merge

import (
	"reflect"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

func TestMergeRegistryAndOrder(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	runMergeCases(t, []mergeCase{
		{
			name: "registry join: versions are metrics ∪ aliased; registry-only models listed",
			in: vecs{
				fleet.RoleRequestRate: {
					sample(10, "model", "fraud", "version", "3"),
					sample(1, "model", "fraud", "version", "4"),
					sample(2, "model", "unregistered", "version", "1"),
				},
				fleet.RolePerformance: {sample(0.80, "model", "fraud", "version", "3", "metric", "auc")},
			},
			reg: &fleet.Registry{Models: []fleet.RegisteredModel{
				{
					Name: "fraud", Description: "card fraud", Tags: map[string]string{"team": "risk"},
					Aliases: map[string]string{"champion": "3", "challenger": "5"},
					Versions: []fleet.RegisteredVersion{
						{Version: "3", Aliases: []string{"champion"}, Baseline: map[string]float64{"auc": 0.92},
							Lineage: fleet.Lineage{RunID: "r3", GitCommit: "abc", CreatedAt: created, Dataset: &fleet.Dataset{Name: "tx-2025"}}},
						{Version: "2"},
						{Version: "1"},
						{Version: "5", Aliases: []string{"challenger", "staging"}},
					},
				},
				{Name: "churn", Aliases: map[string]string{"champion": "9"}, Versions: []fleet.RegisteredVersion{{Version: "9"}, {Version: "8"}}},
			}},
			check: func(t *testing.T, got Merged) {
				if names := modelNames(got.Models); !reflect.DeepEqual(names, []string{"churn", "fraud", "unregistered"}) {
					t.Errorf("models = %v", names)
				}
				f := findModel(t, got.Models, "fraud")
				// 3 serves under the serving alias, so it is the stable track.
				if vs := versionIDs(f); !reflect.DeepEqual(vs, []string{"3", "5", "4"}) {
					t.Errorf("fraud versions = %v (history versions 1, 2 must be left out)", vs)
				}
				if !f.InRegistry || !f.Serving || f.Description != "card fraud" || f.Tags["team"] != "risk" {
					t.Errorf("fraud = %+v", f)
				}
				if want := map[string]string{"champion": "3", "challenger": "5", "staging": "5"}; !reflect.DeepEqual(f.Aliases, want) {
					t.Errorf("aliases = %v", f.Aliases)
				}
				v3 := findVersion(t, f, "3")
				if !v3.InRegistry || v3.Lineage == nil || v3.Lineage.RunID != "r3" || v3.Lineage.Dataset.Name != "tx-2025" || !v3.Lineage.CreatedAt.Equal(created) {
					t.Errorf("v3 lineage = %+v", v3.Lineage)
				}
				if v3.Track != fleet.TrackStable {
					t.Errorf("v3 track = %q", v3.Track)
				}
				if v3.Baseline["auc"] != 0.92 || v3.Health.Status != fleet.StatusCritical {
					t.Errorf("v3 baseline %v health %+v (auc 0.80 vs 0.92 is a drop of 0.12)", v3.Baseline, v3.Health)
				}
				if v5 := findVersion(t, f, "5"); v5.Serving || !v5.InRegistry || v5.Track != "" {
					t.Errorf("v5 = %+v", v5)
				}
				if v4 := findVersion(t, f, "4"); v4.InRegistry || v4.Lineage != nil || !v4.Serving {
					t.Errorf("v4 = %+v", v4)
				}
				c := findModel(t, got.Models, "churn")
				if c.Serving || !c.InRegistry || !reflect.DeepEqual(versionIDs(c), []string{"9"}) {
					t.Errorf("churn = %+v", c)
				}
				u := findModel(t, got.Models, "unregistered")
				if u.InRegistry || u.Tags != nil || u.Aliases != nil {
					t.Errorf("unregistered = %+v", u)
				}
			},
		},
		{
			name: "version order: stable, canary, shadow, then others newest first, numbers compared as numbers",
			in: vecs{
				fleet.RoleTrafficWeight: {
					sample(0, "model", "a", "version", "2", "track", "shadow"),
					sample(10, "model", "a", "version", "9", "track", "canary"),
					sample(90, "model", "a", "version", "1", "track", "stable"),
				},
				fleet.RoleRequestRate: {
					sample(1, "model", "a", "version", "9"),
					sample(1, "model", "a", "version", "12"),
					sample(1, "model", "a", "version", "3"),
					sample(1, "model", "a", "version", "v10"),
					sample(1, "model", "a", "version", "v9"),
				},
			},
			check: func(t *testing.T, got Merged) {
				want := []string{"1", "9", "2", "v10", "v9", "12", "3"}
				if vs := versionIDs(findModel(t, got.Models, "a")); !reflect.DeepEqual(vs, want) {
					t.Errorf("order = %v, want %v", vs, want)
				}
			},
		},
		{
			name: "with no traffic split, aliases give serving versions their track",
			in: vecs{fleet.RoleRequestRate: {
				sample(10, "model", "a", "version", "3"),
				sample(1, "model", "a", "version", "4"),
			}},
			reg: &fleet.Registry{Models: []fleet.RegisteredModel{{
				Name: "a", Aliases: map[string]string{"prod": "3", "next": "4", "challenger": "5"},
			}}},
			cfg: &MergeConfig{ServingAlias: "prod", CandidateAlias: "next"},
			check: func(t *testing.T, got Merged) {
				m := findModel(t, got.Models, "a")
				if vs := versionIDs(m); !reflect.DeepEqual(vs, []string{"3", "4", "5"}) {
					t.Errorf("order = %v", vs)
				}
				if findVersion(t, m, "3").Track != fleet.TrackStable || findVersion(t, m, "4").Track != fleet.TrackCanary || findVersion(t, m, "5").Track != "" {
					t.Errorf("tracks = %+v", m.Versions)
				}
				if m.Rollout != nil {
					t.Errorf("aliases alone make no rollout: %+v", m.Rollout)
				}
			},
		},
	})
}

func TestMergeRegistryNameMapping(t *testing.T) {
	fraudReg := func(tags map[string]string) *fleet.Registry {
		return &fleet.Registry{Models: []fleet.RegisteredModel{{
			Name: "fraud", Description: "card fraud", Tags: tags,
			Aliases:  map[string]string{"champion": "3"},
			Versions: []fleet.RegisteredVersion{{Version: "3", Aliases: []string{"champion"}, Baseline: map[string]float64{"auc": 0.92}, Lineage: fleet.Lineage{RunID: "r3"}}},
		}}}
	}
	serving := func(names ...string) vecs {
		var v model.Vector
		for _, n := range names {
			v = append(v, sample(10, "model", n, "version", "3"))
		}
		return vecs{fleet.RoleRequestRate: v}
	}
	withNames := func(m map[string]string) *MergeConfig {
		c := defaultMergeConfig
		c.ModelNames = m
		return &c
	}
	joined := func(t *testing.T, m *fleet.Model, servingName string) {
		t.Helper()
		if m.ServingName != servingName || !m.InRegistry || !m.Serving || m.Description != "card fraud" {
			t.Fatalf("%s: serving name %q, in registry %v, serving %v, description %q", m.Name, m.ServingName, m.InRegistry, m.Serving, m.Description)
		}
		v := findVersion(t, m, "3")
		if !eqPtr(v.RequestsPerSecond, 10) || v.Baseline["auc"] != 0.92 || v.Lineage == nil || v.Lineage.RunID != "r3" || !v.InRegistry || !v.Serving {
			t.Fatalf("%s v3 was not joined: %+v", m.Name, v)
		}
	}
	runMergeCases(t, []mergeCase{
		{
			name: "config maps the serving name to the registered one",
			in:   serving("fraud-v2"), reg: fraudReg(nil), cfg: withNames(map[string]string{"fraud-v2": "fraud"}),
			check: func(t *testing.T, got Merged) {
				if names := modelNames(got.Models); !reflect.DeepEqual(names, []string{"fraud"}) {
					t.Fatalf("models = %v, want the serving name gone into fraud", names)
				}
				joined(t, &got.Models[0], "fraud-v2")
			},
		},
		{
			name: "the registered model's tag names its label in the metrics",
			in:   serving("fraud_detector"), reg: fraudReg(map[string]string{TagServingName: "fraud_detector"}),
			check: func(t *testing.T, got Merged) {
				if names := modelNames(got.Models); !reflect.DeepEqual(names, []string{"fraud"}) {
					t.Fatalf("models = %v", names)
				}
				joined(t, &got.Models[0], "fraud_detector")
			},
		},
		{
			name: "an exact name match is never overridden; the mapped name stays, not in the registry",
			in:   serving("fraud", "fraud-v2"), reg: fraudReg(map[string]string{TagServingName: "fraud-v2"}),
			cfg: withNames(map[string]string{"fraud-v2": "fraud"}),
			check: func(t *testing.T, got Merged) {
				if names := modelNames(got.Models); !reflect.DeepEqual(names, []string{"fraud", "fraud-v2"}) {
					t.Fatalf("models = %v", names)
				}
				joined(t, findModel(t, got.Models, "fraud"), "")
				if m := findModel(t, got.Models, "fraud-v2"); m.InRegistry || !m.Serving || m.ServingName != "" {
					t.Fatalf("fraud-v2 = %+v", m)
				}
			},
		},
		{
			name: "config wins over the tag; the tag's label is left unjoined",
			in:   serving("from-tag", "from-config"), reg: fraudReg(map[string]string{TagServingName: "from-tag"}),
			cfg: withNames(map[string]string{"from-config": "fraud"}),
			check: func(t *testing.T, got Merged) {
				if names := modelNames(got.Models); !reflect.DeepEqual(names, []string{"fraud", "from-tag"}) {
					t.Fatalf("models = %v", names)
				}
				joined(t, findModel(t, got.Models, "fraud"), "from-config")
				if m := findModel(t, got.Models, "from-tag"); m.InRegistry {
					t.Fatalf("from-tag = %+v", m)
				}
			},
		},
		{
			name: "a label joins one registered model: the first by name; the other is listed, not serving",
			in:   serving("shared"),
			reg: &fleet.Registry{Models: []fleet.RegisteredModel{
				{Name: "zeta", Tags: map[string]string{TagServingName: "shared"}, Aliases: map[string]string{"champion": "1"}},
				{Name: "alpha", Tags: map[string]string{TagServingName: "shared"}, Aliases: map[string]string{"champion": "3"}},
			}},
			check: func(t *testing.T, got Merged) {
				if names := modelNames(got.Models); !reflect.DeepEqual(names, []string{"alpha", "zeta"}) {
					t.Fatalf("models = %v", names)
				}
				a, z := findModel(t, got.Models, "alpha"), findModel(t, got.Models, "zeta")
				if a.ServingName != "shared" || !a.Serving || z.Serving || !z.InRegistry || z.ServingName != "" {
					t.Fatalf("alpha = %+v\nzeta = %+v", a, z)
				}
				if v := findVersion(t, z, "1"); v.Serving {
					t.Fatalf("zeta v1 = %+v", v)
				}
			},
		},
		{
			name: "what cannot be joined is shown: metrics-only and registry-only both listed",
			in:   serving("unmapped"), reg: fraudReg(nil), cfg: withNames(map[string]string{"unmapped": "no-such-model"}),
			check: func(t *testing.T, got Merged) {
				if names := modelNames(got.Models); !reflect.DeepEqual(names, []string{"fraud", "unmapped"}) {
					t.Fatalf("models = %v", names)
				}
				f, u := findModel(t, got.Models, "fraud"), findModel(t, got.Models, "unmapped")
				if f.Serving || !f.InRegistry || f.Version("3") == nil || f.Version("3").Serving {
					t.Errorf("registry-only fraud = %+v", f)
				}
				if !u.Serving || u.InRegistry || u.ServingName != "" || u.Version("3") == nil || u.Version("3").InRegistry {
					t.Errorf("metrics-only unmapped = %+v", u)
				}
			},
		},
		{
			name: "without a registry read, names stay the serving names",
			in:   serving("fraud-v2"), cfg: withNames(map[string]string{"fraud-v2": "fraud"}),
			check: func(t *testing.T, got Merged) {
				if names := modelNames(got.Models); !reflect.DeepEqual(names, []string{"fraud-v2"}) || got.Models[0].ServingName != "" {
					t.Fatalf("models = %+v", got.Models)
				}
			},
		},
	})
}
