package drift

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
)

// The vectors in testdata/cases.json were computed by scipy (version in the
// file); see the fixture's README for the definitions.

type fixtureCase struct {
	Name       string             `json:"name"`
	Kind       string             `json:"kind"`
	Bounds     []bound            `json:"bounds"`
	Categories []string           `json:"categories"`
	Reference  []float64          `json:"reference"`
	Current    []float64          `json:"current"`
	Expected   map[string]float64 `json:"expected"`
}

// bound reads a bucket bound written as a number or as the string "+Inf".
type bound float64

func (b *bound) UnmarshalJSON(data []byte) error {
	var s string
	if json.Unmarshal(data, &s) == nil {
		if s != "+Inf" {
			return fmt.Errorf("bound %q", s)
		}
		*b = bound(math.Inf(1))
		return nil
	}
	var f float64
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	*b = bound(f)
	return nil
}

func loadCases(t testing.TB) []fixtureCase {
	t.Helper()
	data, err := os.ReadFile("testdata/cases.json")
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	var f struct {
		Cases []fixtureCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("parse fixture: %v", err)
	}
	if len(f.Cases) == 0 {
		t.Fatal("fixture has no cases")
	}
	return f.Cases
}

func (c fixtureCase) binned() (ref, cur Binned) {
	bounds := make([]float64, len(c.Bounds))
	for i, b := range c.Bounds {
		bounds[i] = float64(b)
	}
	return Binned{Bounds: bounds, Counts: c.Reference}, Binned{Bounds: bounds, Counts: c.Current}
}

// statistic computes one of the fixture's keys for a case.
func statistic(c fixtureCase, key string) (float64, error) {
	ref, cur := c.binned()
	r, q := c.Reference, c.Current
	if c.Kind == "categorical" {
		rc, cc := Categorical{}, Categorical{}
		for i, name := range c.Categories {
			rc[name], cc[name] = r[i], q[i]
		}
		_, r, q = Align(rc, cc)
	}
	switch key {
	case "psi":
		return PopulationStabilityIndex(r, q)
	case "ks_statistic":
		d, _, err := KolmogorovSmirnov(ref, cur)
		return d, err
	case "ks_pvalue":
		_, p, err := KolmogorovSmirnov(ref, cur)
		return p, err
	case "js_distance_e":
		return JensenShannon(r, q, math.E)
	case "js_distance_2":
		return JensenShannon(r, q, 2)
	case "wasserstein_normed":
		return WassersteinNormed(ref, cur)
	case "hellinger":
		return HellingerDistance(r, q)
	case "chi2_statistic":
		s, _, err := ChiSquareTest(r, q)
		return s, err
	case "chi2_pvalue":
		_, p, err := ChiSquareTest(r, q)
		return p, err
	}
	return 0, fmt.Errorf("no statistic for key %q", key)
}

// agrees applies the fixture's tolerance: relative 1e-9; absolute 1e-9 for
// expected values below 1e-9; absolute 1e-6 for Jensen–Shannon at 0.
func agrees(key string, got, want float64) bool {
	switch {
	case strings.HasPrefix(key, "js_") && want == 0:
		return math.Abs(got) <= 1e-6
	case math.Abs(want) < 1e-9:
		return math.Abs(got-want) <= 1e-9
	}
	return math.Abs(got-want) <= 1e-9*math.Abs(want)
}

func relErr(got, want float64) float64 {
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}

func TestAgreesWithScipy(t *testing.T) {
	worst := map[string]float64{}
	checked := 0
	for _, c := range loadCases(t) {
		keys := make([]string, 0, len(c.Expected))
		for k := range c.Expected {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			want := c.Expected[key]
			got, err := statistic(c, key)
			if err != nil {
				t.Errorf("%s %s: %v", c.Name, key, err)
				continue
			}
			checked++
			if !agrees(key, got, want) {
				t.Errorf("%s %s = %.17g, scipy %.17g (relative error %.3g)", c.Name, key, got, want, relErr(got, want))
			}
			// Tiny p-values are held to the relative tolerance too, while
			// they are normal numbers: drift ranks by them.
			if strings.HasSuffix(key, "pvalue") && want >= 1e-300 && relErr(got, want) > 1e-9 {
				t.Errorf("%s %s = %.17g, scipy %.17g: relative error %.3g", c.Name, key, got, want, relErr(got, want))
			}
			if want != 0 {
				worst[key] = math.Max(worst[key], relErr(got, want))
			}
		}
	}
	if checked < 300 {
		t.Errorf("checked only %d values", checked)
	}
	keys := make([]string, 0, len(worst))
	for k := range worst {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("max relative error %-20s %.3g", k, worst[k])
	}
}
