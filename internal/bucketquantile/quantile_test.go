package bucketquantile

import (
	"testing"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/labelrows"
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
		// Prometheus 3 keeps the name in the grouping and refuses these.
		"two names joined": {{Metric: model.Metric{"__name__": "a_bucket", "le": "1"}, Value: 1}, {Metric: model.Metric{"__name__": "b_bucket", "le": "2"}, Value: 1}},
		"quantile label":   {{Metric: model.Metric{"le": "1", "quantile": "0.5"}, Value: 1}}, // 2.x drops it
		"metadata label":   {{Metric: model.Metric{"le": "1", "__type__": "histogram"}, Value: 1}},
	} {
		if _, ok := Groups(vec); ok {
			t.Errorf("%s: answered here", name)
		}
	}
}

func TestFromTableGroupsAsGroupsDoes(t *testing.T) {
	vec := model.Vector{
		{Metric: model.Metric{"model": "a", "version": "1", "le": "0.1"}, Value: 3},
		{Metric: model.Metric{"model": "a", "version": "1", "le": "+Inf"}, Value: 4},
		{Metric: model.Metric{"model": "b", "le": "0.5"}, Value: 1},
		{Metric: model.Metric{"model": "b", "le": "+Inf"}, Value: 2},
	}
	want, ok := Groups(vec)
	if !ok {
		t.Fatal("declined")
	}
	got, ok := FromTable(labelrows.FromVector(vec, []string{"model", "version", "le"}), 0)
	if !ok || len(got) != len(want) {
		t.Fatalf("groups %v ok %v, want %v", got, ok, want)
	}
	for i := range want {
		if !got[i].Metric.Equal(want[i].Metric) {
			t.Errorf("group %d: %v, want %v (an absent label stays absent)", i, got[i].Metric, want[i].Metric)
		}
		for _, q := range []float64{0.3, 0.9} {
			g, _ := got[i].Quantile(q)
			w, _ := want[i].Quantile(q)
			if g != w {
				t.Errorf("%v q=%g: %v, want %v", got[i].Metric, q, g, w)
			}
		}
	}
	if _, ok := FromTable(labelrows.FromVector(vec, []string{"model", "version", "le"}), 1); ok {
		t.Error("a table with native histograms left out was answered here")
	}
	if _, ok := FromTable(labelrows.FromVector(vec, []string{"model", "version"}), 0); ok {
		t.Error("a table without le was answered here")
	}
}
