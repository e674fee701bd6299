package driftscreen

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/uitest"
)

func fp(v float64) *float64 { return &v }
func bp(v bool) *bool       { return &v }

func TestSeverityOrdering(t *testing.T) {
	mod := &fleet.Model{Name: "m", Versions: []fleet.Version{{Version: "1", Serving: true, Drift: &fleet.Drift{
		Features: []fleet.FeatureDrift{
			{Feature: "calm_ks", Score: 0.5, Method: "ks", Threshold: fp(0.05), PValue: fp(0.5)},       // 0.1
			{Feature: "near_js", Score: 0.09, Method: "jensenshannon", Threshold: fp(0.1)},             // 0.9
			{Feature: "psi_high", Score: 0.3, Method: "psi", Threshold: fp(0.1)},                       // 3
			{Feature: "ks_tiny_p", Score: 0.001, Method: "ks", Threshold: fp(0.05), PValue: fp(0.001)}, // 50
			{Feature: "nan", Score: math.NaN(), Method: "psi", Threshold: fp(0.1)},                     // no data
			{Feature: "wass_at", Score: 0.1, Method: "wasserstein"},                                    // 1, default threshold
			{Feature: "chi_ok", Score: 0.2, Method: "chisquare", Threshold: fp(0.05), PValue: fp(0.2)}, // 0.25
			{Feature: "psi_over", Score: 0.12, Method: "psi", Threshold: fp(0.1), Drifted: bp(false)},  // 1.2: the threshold decides
		},
	}}}}
	judge.Model(mod, judge.Default())
	vvs := views(mod, nil)
	if len(vvs) != 1 {
		t.Fatalf("%d versions", len(vvs))
	}
	var got []string
	for _, r := range vvs[0].rows {
		got = append(got, r.name)
	}
	want := "ks_tiny_p psi_high psi_over wass_at near_js chi_ok calm_ks nan"
	if strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
	if vvs[0].measured != 7 || vvs[0].drifted != 4 || !vvs[0].dataset {
		t.Errorf("measured %d drifted %d dataset %v; want 7, 4, true", vvs[0].measured, vvs[0].drifted, vvs[0].dataset)
	}
}

func TestPValueShownOnlyWherePresent(t *testing.T) {
	m, c, _ := open(t, "dark", "search-ranker", 200, 50)
	withHistory(m, c)
	v := uitest.Plain(m)
	l := computeLayout(200, true, true, false)
	start := 1 + l.feature + l.gap + l.bar + l.gap + scoreW + l.gap + l.method + l.gap + l.source + l.gap
	cell := func(name string) string {
		r := []rune(lineWith(v, name))
		return strings.TrimSpace(string(r[start : start+l.pvalue]))
	}
	header := lineWith(v, "FEATURE")
	if cell("FEATURE") != "P" {
		t.Fatalf("no P column at %d in %q", start, header)
	}
	for name, want := range map[string]string{"query_length": ".41", "device": ".62", "dwell_seconds": "", "prediction": ""} {
		if got := cell(name); got != want {
			t.Errorf("%s: p-value cell %q, want %q\n%s\n%s", name, got, want, header, lineWith(v, name))
		}
	}
	// Without any p-value method the column is left out.
	m, c, _ = open(t, "dark", "churn-predictor", 200, 50)
	withHistory(m, c)
	if h := lineWith(uitest.Plain(m), "FEATURE"); strings.Contains(h, " P ") {
		t.Errorf("churn-predictor has no p-values but shows the column: %q", h)
	}
}

func TestPValueText(t *testing.T) {
	for p, want := range map[float64]string{0.0004: "<.001", 0.004: ".004", 0.0123: ".01", 0.41: ".41", math.NaN(): "—"} {
		if got := pvalueText(p); got != want {
			t.Errorf("pvalueText(%v) = %q, want %q", p, got, want)
		}
	}
}

func TestDatasetDriftVerdict(t *testing.T) {
	th, _ := themes.ByName("dark", true)
	p := painter{th: th, g: themes.Unicode}
	mk := func(scores ...float64) versionView {
		d := &fleet.Drift{}
		for i, s := range scores {
			d.Features = append(d.Features, fleet.FeatureDrift{Feature: string(rune('a' + i)), Score: s, Method: "psi", Threshold: fp(0.1)})
		}
		m := &fleet.Model{Versions: []fleet.Version{{Version: "1", Serving: true, Drift: d}}}
		judge.Model(m, judge.Default())
		return views(m, nil)[0]
	}
	for _, tc := range []struct {
		scores []float64
		want   string
	}{
		{[]float64{0.3, 0.2, 0.15, 0.01}, "⚠ dataset drift: 3 of 4 features (75 %) ≥ 50 %"},
		{[]float64{0.3, 0.2, 0.01, 0.01}, "⚠ dataset drift: 2 of 4 features (50 %) ≥ 50 %"},
		{[]float64{0.3, 0.01, 0.01, 0.01}, "⚠ drift: 1 of 4 features (25 %) — dataset drift needs 50 %"},
		{[]float64{0.01, 0.01}, "✔ no drift: 0 of 2 features over threshold"},
	} {
		if got := ansi.Strip(p.datasetVerdict(mk(tc.scores...))); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.scores, got, tc.want)
		}
	}
}

func TestHistoryOnlyFeaturesGetRows(t *testing.T) {
	s := uitest.DriftSnapshot()
	var mod *fleet.Model
	for i := range s.Models {
		if s.Models[i].Name == "churn-predictor" {
			mod = &s.Models[i]
		}
	}
	h := uitest.DriftHistory("churn-predictor", 3600e9, 10)
	h.Series = append(h.Series, fleet.DriftSeries{Version: "3", Feature: "age", Method: "psi", Threshold: 0.1, Scores: make([]float64, 10)})
	vv := views(mod, &h)[0]
	found := false
	for _, r := range vv.rows {
		if r.name == "age" {
			found = !r.known && len(r.history) == 10
		}
		if r.name == "tenure" && len(r.history) != 10 {
			t.Errorf("tenure's history not attached: %v", r.history)
		}
	}
	if !found || vv.prediction == nil || len(vv.prediction.history) != 10 {
		t.Errorf("history-only feature or prediction history missing: %+v", vv)
	}
}
