package judge

import (
	"strings"
	"testing"
)

// LowerIsBetterMetrics lists exactly the metrics LowerIsBetter says yes to.
func TestLowerIsBetterMetrics(t *testing.T) {
	ms := LowerIsBetterMetrics()
	if len(ms) != len(lowerIsBetter) {
		t.Fatalf("LowerIsBetterMetrics() = %v", ms)
	}
	for _, m := range ms {
		if !LowerIsBetter(m) || !LowerIsBetter(strings.ToUpper(m)) {
			t.Errorf("%s is listed but not lower-is-better", m)
		}
	}
	if LowerIsBetter("auc") {
		t.Error("auc is not an error metric")
	}
}
