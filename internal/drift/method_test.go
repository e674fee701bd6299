package drift

import "testing"

func TestVerdicts(t *testing.T) {
	cases := []struct {
		method       string
		score, thr   float64
		drifted      bool
		severityOver bool
	}{
		{"psi", 0.27, 0.1, true, true},
		{"PSI", 0.05, 0.1, false, false},
		{"ks", 0.01, 0.05, true, true}, // p-value below the threshold
		{"ks_pvalue", 0.5, 0.05, false, false},
		{"chi2", 0.001, 0.05, true, true},
		{"js", 0.1, 0.1, true, true},
		{"wasserstein", 0.02, 0.1, false, false},
		{"z", 0.01, 0.05, true, true}, // p-value below the threshold
		{"z_test", 0.2, 0.05, false, false},
		{"ks", 0.05, 0.05, false, false}, // p at the threshold is not below it
		{"psi", 0.1, 0.1, true, true},    // a distance at the threshold drifts
	}
	for _, c := range cases {
		if got := Drifted(c.method, c.score, c.thr); got != c.drifted {
			t.Errorf("Drifted(%s, %g, %g) = %v", c.method, c.score, c.thr, got)
		}
		if got := Severity(c.method, c.score, c.thr) >= 1; got != c.severityOver {
			t.Errorf("Severity(%s, %g, %g) ≥ 1 = %v", c.method, c.score, c.thr, got)
		}
	}
	if Severity("ks", 0, 0.05) <= Severity("ks", 0.001, 0.05) {
		t.Error("a zero p-value must be the most severe")
	}
	for _, m := range []string{PSI, KS, JensenShann, Wasserstein, Hellinger, ChiSquare, KLDiv, Z} {
		if _, ok := DefaultThreshold(m); !ok {
			t.Errorf("no default threshold for %s", m)
		}
	}
	if th, _ := DefaultThreshold("jensen_shannon"); th != 0.1 {
		t.Errorf("alias threshold = %g", th)
	}
}

func TestShortName(t *testing.T) {
	for in, want := range map[string]string{"wasserstein": "wass", "jensen_shannon": "js", "chisquare": "chi²", "psi": "psi", "ks": "ks"} {
		if got := ShortName(in); got != want {
			t.Errorf("ShortName(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every spelling Spellings lists is read as its method, and every method
// with a default threshold is listed.
func TestSpellings(t *testing.T) {
	ms := Methods()
	if len(ms) != len(defaults) {
		t.Fatalf("Methods() = %v", ms)
	}
	for _, m := range ms {
		sp := Spellings(m)
		if sp[0] != m {
			t.Errorf("Spellings(%s) starts with %q", m, sp[0])
		}
		for _, s := range sp {
			if Canonical(s) != m {
				t.Errorf("Spellings(%s) lists %q, which is %q", m, s, Canonical(s))
			}
		}
	}
	for alias, m := range aliases {
		found := false
		for _, s := range Spellings(m) {
			found = found || s == alias
		}
		if !found {
			t.Errorf("Spellings(%s) misses %q", m, alias)
		}
	}
}
