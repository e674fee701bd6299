package sshserve

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/selfmetrics"
)

var sgr = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// hasColor reports whether s sets a foreground or background colour.
func hasColor(s string) bool {
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, err := strconv.Atoi(p)
			if err == nil && (n >= 30 && n <= 38 || n >= 40 && n <= 48 || n >= 90 && n <= 97 || n >= 100 && n <= 107) {
				return true
			}
		}
	}
	return false
}

// counterValue sums the counter family name's series having a label with
// value labelValue.
func counterValue(t *testing.T, m *selfmetrics.Metrics, name, labelValue string) float64 {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if l.GetValue() == labelValue {
					sum += s.GetCounter().GetValue()
				}
			}
		}
	}
	return sum
}

// awaitCounter waits until counterValue reaches want: the session counts
// an action after the executor has written its audit record, so a test
// that saw the record may be a moment early.
func awaitCounter(t *testing.T, m *selfmetrics.Metrics, name, labelValue string, want float64) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		got := counterValue(t, m, name, labelValue)
		if got == want {
			return
		}
		if got > want || time.Now().After(deadline) {
			t.Fatalf("%s{…=%q} = %v, want %v", name, labelValue, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
