package judge

import "testing"

func TestDriftThreshold(t *testing.T) {
	c := Config{DriftThresholds: map[string]float64{"psi": 0.25}}
	for method, want := range map[string]float64{"psi": 0.25, "ks": 0.05, "wasserstein": 0.1} {
		if got, ok := c.DriftThreshold(method); !ok || got != want {
			t.Errorf("DriftThreshold(%s) = %v, %v; want %v (configured, else the method's default)", method, got, ok, want)
		}
	}
	if _, ok := c.DriftThreshold("no-such-method"); ok {
		t.Error("a method with no default has a threshold")
	}
}
