package config_test

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/config"
)

// prometheus.recorded has three states: unset (detect), true and false.
func TestRecordedKey(t *testing.T) {
	for _, tc := range []struct {
		src              string
		recorded, detect bool
	}{
		{"prometheus:\n  url: http://127.0.0.1:9090\n", false, true},
		{"prometheus:\n  recorded: true\n", true, false},
		{"prometheus:\n  recorded: false\n", false, false},
	} {
		c := mustParse(t, tc.src, nil)
		if c.Prometheus.Recorded != tc.recorded || c.RecordedDetect() != tc.detect {
			t.Errorf("%q: recorded %v, detect %v; want %v, %v", tc.src, c.Prometheus.Recorded, c.RecordedDetect(), tc.recorded, tc.detect)
		}
	}
	if !config.Default().RecordedDetect() {
		t.Error("the default config does not detect recorded series")
	}
	_, err := config.ParseEnv("config.yaml", []byte("prometheus:\n  recorded: maybe\n"), nil)
	if err == nil || !strings.Contains(err.Error(), "config.yaml:2") || !strings.Contains(err.Error(), "recorded") {
		t.Errorf("recorded: maybe: got %v, want an error at config.yaml:2 naming the key", err)
	}
}
