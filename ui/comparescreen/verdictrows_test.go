package comparescreen

import (
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/ui/uitest"
)

// withQuality gives credit-risk's versions accuracy on their labels and
// CBPE estimates, changed by edit.
func withQuality(t *testing.T, edit func(a, b *fleet.Version), cmp judge.Comparisons) *Model {
	t.Helper()
	c := uitest.Common("dark")
	s := uitest.Snapshot()
	m := &s.Models[0]
	for i := range s.Models {
		if s.Models[i].Name == "credit-risk" {
			m = &s.Models[i]
		}
	}
	a, b := m.Version("11"), m.Version("12")
	se := func(f float64) *float64 { return &f }
	a.Performance, b.Performance = map[string]float64{"accuracy": 0.9}, map[string]float64{"accuracy": 0.85}
	a.GroundTruth.Labels, b.GroundTruth.Labels = se(4000), se(4000)
	a.EstimatedPerformance = map[string]fleet.Estimate{"roc_auc": {Value: 0.86, StdError: se(0.01)}}
	b.EstimatedPerformance = map[string]fleet.Estimate{"roc_auc": {Value: 0.85, StdError: se(0.01)}}
	if edit != nil {
		edit(a, b)
	}
	c.Snapshot, c.Comparisons = &s, cmp
	scr := New(c, "credit-risk", "", "")
	scr.SetSize(200, 50)
	return scr
}

func TestVerdictSection(t *testing.T) {
	v := uitest.Plain(withQuality(t, nil, judge.Comparisons{}))
	for label, want := range map[string]string{
		"Verdict":  "Verdict B vs A over 1h ✖ fail",
		"accuracy": "accuracy .90 .85 ▼ -.05 worse",
		"~roc_auc": "~roc_auc .86 .85 ≈ -.01 ≈",
	} {
		if got := strings.Join(strings.Fields(rowOf(v, label)), " "); got != want {
			t.Errorf("row %q = %q, want %q", label, got, want)
		}
	}
	for _, want := range []string{
		"v12 is significantly worse than v11 on accuracy",
		"≈ 11.6× the predictions to detect −.02",
		"99.993% interval",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("missing %q in\n%s", want, v)
		}
	}
	// Live quality takes the verdict's word for accuracy.
	live := strings.SplitN(v, "Live quality", 2)[1]
	if got := strings.Join(strings.Fields(rowOf(live, "accuracy")), " "); got != "accuracy .90 .85 ▼ -.05 worse" {
		t.Errorf("live accuracy = %q", got)
	}
}

func TestVerdictSectionNotEnough(t *testing.T) {
	v := uitest.Plain(withQuality(t, func(a, b *fleet.Version) { b.Counts.Requests = func(f float64) *float64 { return &f }(57) }, judge.Comparisons{}))
	if got := strings.Join(strings.Fields(rowOf(v, "Verdict")), " "); got != "Verdict B vs A over 1h ◌ not enough data" {
		t.Errorf("heading %q", got)
	}
	if !strings.Contains(v, "v12 has 57 requests in the window; a verdict needs at least 200 on each side") {
		t.Errorf("no why:\n%s", v)
	}
}

func TestVerdictSectionUsesTheConfig(t *testing.T) {
	scr := withQuality(t, nil, judge.Comparisons{Window: 30 * time.Minute, Refresh: time.Minute, Alpha: 0.01})
	v := uitest.Plain(scr)
	if !strings.Contains(v, "Verdict B vs A over 30m") || !strings.Contains(v, "99.967% interval") {
		t.Errorf("configured window and alpha not used:\n%s", v)
	}
}
