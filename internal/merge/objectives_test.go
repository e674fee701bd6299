package merge

import (
	"math"
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

// The service-level roles attach to what other roles named: a version
// that stopped hours ago keeps a 6h error ratio, a model retired days ago
// last week's rate, and neither comes back for it. The hour before names
// its model: one whose series ended within the hour is stopped, not gone.
func TestObjectivesAttach(t *testing.T) {
	in := map[fleet.Role]model.Vector{
		fleet.RoleRequestRate: {sample(5, "model", "fraud", "version", "8"), sample(1, "model", "fraud", "version", "7")},
		fleet.RoleLatencyBuckets: {
			sample(4, "model", "fraud", "version", "8", "le", "0.25"),
			sample(5, "model", "fraud", "version", "8", "le", "+Inf"),
			// Two series of one bucket (an override without sum by): added up.
			sample(2, "model", "fraud", "version", "8", "le", "0.1"), sample(1, "model", "fraud", "version", "8", "le", "0.1"),
			sample(3, "model", "gone", "version", "1", "le", "+Inf"),
		},
		fleet.RoleErrorRatioPage: {
			sample(0.02, "model", "fraud", "version", "8", "window", "1h"),
			sample(math.Inf(1), "model", "fraud", "version", "8", "window", "5m"),
			sample(0.5, "model", "gone", "version", "1", "window", "1h"),
		},
		fleet.RoleErrorRatioTicket: {
			// Of two series for one window the worst is kept.
			sample(0.01, "model", "fraud", "version", "7", "window", "6h"), sample(0.03, "model", "fraud", "version", "7", "window", "6h"),
			sample(0.2, "model", "fraud", "version", "7"), // no window label: dropped
		},
		fleet.RoleRequestsLastWeek: {
			// Per version or not, summed per model.
			sample(10, "model", "fraud", "version", "8"), sample(3, "model", "fraud", "version", "7"),
			sample(40, "model", "retired"),
		},
		fleet.RoleRequestsHourBefore: {sample(6, "model", "fraud"), sample(12, "model", "stopped")},
	}
	got := Merge(in, nil, MergeConfig{})
	if len(got.Models) != 2 {
		t.Fatalf("models %+v, want fraud and stopped only", got.Models)
	}
	fraud := findModel(t, got.Models, "fraud")
	if h := fraud.RequestHistory; !eqPtr(h.LastWeek, 13) || !eqPtr(h.HourBefore, 6) {
		t.Errorf("fraud's request history %+v", h)
	}
	v8 := findVersion(t, fraud, "8")
	wantBuckets := []fleet.Bucket{{Le: 0.1, Count: 3}, {Le: 0.25, Count: 4}, {Le: math.Inf(1), Count: 5}}
	if b := v8.Objectives.LatencyBuckets; len(b) != 3 || b[0] != wantBuckets[0] || b[1] != wantBuckets[1] || b[2] != wantBuckets[2] {
		t.Errorf("v8 buckets %v, want %v", b, wantBuckets)
	}
	if r := v8.Objectives.ErrorRatios; len(r) != 2 || r["1h"] != 0.02 || !math.IsInf(r["5m"], 1) {
		t.Errorf("v8 error ratios %v", r)
	}
	if r := findVersion(t, fraud, "7").Objectives.ErrorRatios; len(r) != 1 || r["6h"] != 0.03 {
		t.Errorf("v7 error ratios %v, want the worst 6h", r)
	}
	stopped := findModel(t, got.Models, "stopped")
	if !stopped.Serving || len(stopped.Versions) != 0 || !eqPtr(stopped.RequestHistory.HourBefore, 12) || stopped.RequestHistory.LastWeek != nil {
		t.Errorf("stopped %+v", stopped)
	}
}
