package driftscreen

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/uitest"
)

// Each row says whether its score was exported (a drift job's
// model_drift_score) or computed by mltop from histograms.
func TestRowsSayExportedOrComputed(t *testing.T) {
	for _, tc := range []struct {
		width             int
		exported, compute string
	}{{200, "exported", "computed"}, {80, "exp", "cmp"}} {
		m, c, _ := open(t, "dark", "churn-predictor", tc.width, 50)
		withHistory(m, c)
		v := uitest.Plain(m)
		for name, want := range map[string]string{"tenure": tc.exported, "support_calls": tc.exported, "plan": tc.compute, "prediction": tc.compute} {
			if l := lineWith(v, " "+name+" "); !strings.Contains(l, " "+want+" ") {
				t.Errorf("%d columns: %s row does not say %q: %q", tc.width, name, want, l)
			}
		}
	}
}

// A feature with too few observations for its distance says so, with
// the counts, and is told apart from a feature without data.
func TestTooFewIsNotNoData(t *testing.T) {
	for _, width := range []int{80, 200} {
		m, c, _ := open(t, "dark", "churn-predictor", width, 50)
		withHistory(m, c)
		v := uitest.Plain(m)
		few, none := lineWith(v, " contract "), lineWith(v, " region ")
		if !strings.Contains(few, "412 < 600") || !strings.Contains(few, "— too few") || strings.Contains(few, "no data") {
			t.Errorf("%d columns: contract row %q", width, few)
		}
		if !strings.Contains(none, "— no data") || strings.Contains(none, "too few") {
			t.Errorf("%d columns: region row %q", width, none)
		}
		if !strings.Contains(strings.Join(strings.Fields(v), " "), "contract psi: too few observations (412 < 600)") {
			t.Errorf("%d columns: no note for contract:\n%s", width, v)
		}
	}
	s := uitest.DriftSnapshot()
	vvs := views(&s.Models[1], nil)
	if s.Models[1].Name != "churn-predictor" {
		t.Fatalf("fixture order changed: %s", s.Models[1].Name)
	}
	for _, r := range vvs[0].rows {
		if r.tooFew() != (r.raw == "contract") {
			t.Errorf("%s: too few %v", r.raw, r.tooFew())
		}
	}
	if vvs[0].measured != 4 {
		t.Errorf("measured %d, want 4: a feature without a verdict is not counted", vvs[0].measured)
	}
}

func TestTooFewNoteNamesTheWindow(t *testing.T) {
	r := row{name: "tenure", method: "psi", observed: 80, least: 1000, observedIn: "reference"}
	if got := tooFewNote(r); !strings.HasPrefix(got, "tenure psi: too few observations (80 < 1000) in the reference;") {
		t.Errorf("note %q", got)
	}
}
