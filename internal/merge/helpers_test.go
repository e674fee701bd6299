package merge

import (
	"fmt"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
)

// sample builds a sample from a value and label pairs.
func sample(v float64, kv ...string) *model.Sample {
	m := model.Metric{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[model.LabelName(kv[i])] = model.LabelValue(kv[i+1])
	}
	return &model.Sample{Metric: m, Value: model.SampleValue(v)}
}

func modelName(i int) string { return fmt.Sprintf("model-%04d", i) }

func findModel(t *testing.T, ms []fleet.Model, name string) *fleet.Model {
	t.Helper()
	for i := range ms {
		if ms[i].Name == name {
			return &ms[i]
		}
	}
	t.Fatalf("model %q not in %d models", name, len(ms))
	return nil
}

func findVersion(t *testing.T, m *fleet.Model, version string) *fleet.Version {
	t.Helper()
	v := m.Version(version)
	if v == nil {
		var have []string
		for _, v := range m.Versions {
			have = append(have, v.Version)
		}
		t.Fatalf("model %s has no version %q (has %q)", m.Name, version, have)
	}
	return v
}

func eqPtr(p *float64, want float64) bool { return p != nil && *p == want }

// judged merges and then judges with the default thresholds (and cfg's
// drift thresholds), as the poller does: the merge's tests check what
// the fleet looks like once judged.
func judged(in map[fleet.Role]model.Vector, reg *fleet.Registry, cfg MergeConfig) Merged {
	out := Merge(in, reg, cfg)
	jc := judge.Default()
	jc.DriftThresholds = cfg.DriftThresholds
	for i := range out.Models {
		judge.Model(&out.Models[i], jc)
	}
	return out
}
