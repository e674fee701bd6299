package bucketquantile

import (
	"testing"

	"github.com/prometheus/common/model"
)

func TestGroupsSplitByEveryLabelButLE(t *testing.T) {
	vec := model.Vector{
		{Metric: model.Metric{"__name__": "x_bucket", "model": "a", "le": "0.1"}, Value: 1},
		{Metric: model.Metric{"__name__": "x_bucket", "model": "a", "le": "+Inf"}, Value: 4},
		{Metric: model.Metric{"__name__": "x_bucket", "model": "b", "le": "+Inf"}, Value: 2},
		{Metric: model.Metric{"__name__": "x_bucket", "model": "b", "le": "1"}, Value: 2},
	}
	groups, ok := Groups(vec)
	if !ok || len(groups) != 2 {
		t.Fatalf("groups %v ok %v", groups, ok)
	}
	for _, g := range groups {
		if len(g.Metric) != 1 || g.Metric["model"] == "" {
			t.Errorf("labels %v: want model only", g.Metric)
		}
	}
	a, _ := groups[0].Quantile(0.5)
	if groups[0].Metric["model"] != "a" || a != 0.1 {
		t.Errorf("%v: p50 %v, want 0.1 (the rank falls in +Inf)", groups[0].Metric, a)
	}
	// Asking twice gives the same answer: the buckets are not sorted in place.
	b1, _ := groups[1].Quantile(0.5)
	b2, _ := groups[1].Quantile(0.5)
	if b1 != b2 || b1 != 0.5 {
		t.Errorf("b: p50 %v then %v, want 0.5", b1, b2)
	}
}

func TestGroupsDeclineWhatVersionsReadDifferently(t *testing.T) {
	for name, vec := range map[string]model.Vector{
		"native histogram": {{Metric: model.Metric{"le": "1"}, Histogram: &model.SampleHistogram{Count: 1}}},
		"le not a number":  {{Metric: model.Metric{"le": "fast"}, Value: 1}},
		"no le":            {{Metric: model.Metric{"model": "a"}, Value: 1}},
		"NaN le":           {{Metric: model.Metric{"le": "NaN"}, Value: 1}},
		"one bound twice":  {{Metric: model.Metric{"le": "1"}, Value: 1}, {Metric: model.Metric{"le": "1.0"}, Value: 2}},
	} {
		if _, ok := Groups(vec); ok {
			t.Errorf("%s: answered here", name)
		}
	}
}
