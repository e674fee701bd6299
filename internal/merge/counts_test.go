package merge

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

func TestMergeVerdictCounts(t *testing.T) {
	serving := func(vers ...string) model.Vector {
		var out model.Vector
		for _, v := range vers {
			out = append(out, sample(10, "model", "churn", "version", v))
		}
		return out
	}
	in := vecs{
		fleet.RoleRequestRate: serving("3", "4"),
		fleet.RoleVerdictCounts: {
			sample(36000, "model", "churn", "version", "3", "counter", "requests"),
			sample(180, "model", "churn", "version", "3", "counter", "errors"),
			sample(4000, "model", "churn", "version", "4", "counter", "requests"),
			// A second series for the same version adds up.
			sample(2.5, "model", "churn", "version", "4", "counter", "errors"),
			sample(1.5, "model", "churn", "version", "4", "counter", "errors"),
			// Ignored: unknown counter, NaN, negative, a version nothing else names.
			sample(7, "model", "churn", "version", "3", "counter", "timeouts"),
			sample(math.NaN(), "model", "churn", "version", "4", "counter", "requests"),
			sample(-1, "model", "churn", "version", "3", "counter", "errors"),
			sample(500, "model", "churn", "version", "2", "counter", "requests"),
			sample(500, "model", "gone", "version", "1", "counter", "requests"),
		},
		fleet.RoleVerdictLatency: {
			// Out of order, one bucket dipping below the one before it.
			sample(36000, "model", "churn", "version", "3", "le", "+Inf"),
			sample(30000, "model", "churn", "version", "3", "le", "0.05"),
			sample(10000, "model", "churn", "version", "3", "le", "0.01"),
			sample(29990, "model", "churn", "version", "3", "le", "0.1"),
			// Without +Inf the total is unknown: no histogram.
			sample(100, "model", "churn", "version", "4", "le", "0.05"),
			sample(1, "model", "churn", "version", "4", "le", "not-a-number"),
		},
	}
	cfg := defaultMergeConfig
	cfg.VerdictWindow = time.Hour
	got := Merge(in, nil, cfg)
	m := findModel(t, got.Models, "churn")
	if len(m.Versions) != 2 {
		t.Fatalf("versions %d, want 2: counts alone must not add a version", len(m.Versions))
	}
	if len(got.Models) != 1 {
		t.Errorf("models %d, want 1: counts alone must not add a model", len(got.Models))
	}
	v3 := findVersion(t, m, "3").Counts
	if v3 == nil || v3.Window != time.Hour || !eqPtr(v3.Requests, 36000) || !eqPtr(v3.Errors, 180) {
		t.Fatalf("v3 counts %+v", v3)
	}
	want := []fleet.Bucket{{Le: 0.01, Count: 10000}, {Le: 0.05, Count: 30000}, {Le: 0.1, Count: 30000}, {Le: math.Inf(1), Count: 36000}}
	if !reflect.DeepEqual(v3.Latency, want) {
		t.Errorf("v3 latency %v, want %v", v3.Latency, want)
	}
	v4 := findVersion(t, m, "4").Counts
	if v4 == nil || !eqPtr(v4.Requests, 4000) || !eqPtr(v4.Errors, 4) || v4.Latency != nil {
		t.Errorf("v4 counts %+v", v4)
	}
}

func TestMergeNoVerdictCounts(t *testing.T) {
	got := Merge(vecs{fleet.RoleRequestRate: {sample(1, "model", "m", "version", "1")}}, nil, defaultMergeConfig)
	if c := findVersion(t, findModel(t, got.Models, "m"), "1").Counts; c != nil {
		t.Errorf("counts %+v without the verdict roles, want nil", c)
	}
}
