package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
)

// ForScale multiplies every for: (rounded to the second, at least 1s),
// and each description states the scaled duration, never the default;
// the expressions do not change. Out of range is an error.
func TestForScale(t *testing.T) {
	cfg := config.Default()
	cfg.Thresholds.LatencyP95 = 250 * time.Millisecond
	cfg.Thresholds.Availability = 0.999
	plain, err := Generate(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The defaults, per alert and severity, and what 0.01 makes of them.
	want := map[string][2]string{
		AlertErrorRatio + "/critical": {"5m", "3s"}, AlertErrorRatio + "/warning": {"5m", "3s"},
		AlertLatencySLO + "/warning": {"5m", "3s"},
		AlertSilent + "/warning":     {"15m", "9s"}, AlertSilent + "/critical": {"5m", "3s"},
		AlertBurnRate + "/critical": {"2m", "1s"}, AlertBurnRate + "/warning": {"15m", "9s"},
		AlertQualityDrop + "/critical": {"15m", "9s"}, AlertQualityDrop + "/warning": {"15m", "9s"},
		AlertLabelsOld + "/warning": {"10m", "6s"},
		AlertDrift + "/warning":     {"15m", "9s"},
		AlertRollout + "/critical":  {"1m", "1s"},
	}
	for _, scale := range []float64{0, 1} {
		f, err := Generate(cfg, Options{ForScale: scale})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range f.Groups[0].Rules {
			if w := want[r.Alert+"/"+r.Labels["severity"]]; r.For != w[0] {
				t.Errorf("scale %g: %s/%s for: %s, want the default %s", scale, r.Alert, r.Labels["severity"], r.For, w[0])
			}
		}
	}
	fast, err := Generate(cfg, Options{ForScale: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	if len(fast.Groups[0].Rules) != len(want) || len(plain.Groups[0].Rules) != len(want) {
		t.Fatalf("%d rules at 0.01, %d at 1, want %d", len(fast.Groups[0].Rules), len(plain.Groups[0].Rules), len(want))
	}
	for i, r := range fast.Groups[0].Rules {
		key := r.Alert + "/" + r.Labels["severity"]
		w, ok := want[key]
		if !ok || r.For != w[1] {
			t.Errorf("%s: for: %s at 0.01, want %s", key, r.For, w[1])
		}
		if r.Expr != plain.Groups[0].Rules[i].Expr {
			t.Errorf("%s: the expression changed with the scale", key)
		}
		d := r.Annotations["description"]
		if strings.Contains(d, "for "+w[0]) {
			t.Errorf("%s: the description still says the default for %s: %s", key, w[0], d)
		}
		if strings.Contains(plain.Groups[0].Rules[i].Annotations["description"], "for "+w[0]) && !strings.Contains(d, "for "+w[1]) {
			t.Errorf("%s: the description does not say for %s: %s", key, w[1], d)
		}
	}
	if f, err := Generate(cfg, Options{ForScale: 2}); err != nil || f.Groups[0].Rules[0].For != "10m" {
		t.Errorf("scale 2: %v, error ratio for: %s", err, f.Groups[0].Rules[0].For)
	}
	for _, bad := range []float64{-1, MaxForScale + 0.5} {
		if _, err := Generate(cfg, Options{ForScale: bad}); err == nil || !strings.Contains(err.Error(), "for: scale") {
			t.Errorf("scale %g: %v, want an error", bad, err)
		}
	}
}
