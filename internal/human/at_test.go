package human

import (
	"strings"
	"testing"
	"time"
)

func TestParseAt(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"2026-03-04T03:00", time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC)},
		{"2026-03-04 03:00:30", time.Date(2026, 3, 4, 3, 0, 30, 0, time.UTC)},
		{"2026-03-04T04:00:00+02:00", time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)},
		{"2026-03-03", time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)},
		{"-2h", now.Add(-2 * time.Hour)},
		{" -90m ", now.Add(-90 * time.Minute)},
		{"-1d", now.Add(-24 * time.Hour)},
		{"-1d12h", now.Add(-36 * time.Hour)},
		{"-0s", now},
	} {
		got, err := ParseAt(c.in, now)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseAt(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for in, wantErr := range map[string]string{
		"":                 "no time given",
		"yesterday":        "is not a time",
		"-2x":              "not a time back from now",
		"-xd":              "bad day count",
		"--2h":             "not a time back from now",
		"2026-03-04T06:00": "in the future",
		"+1h":              "is not a time",
	} {
		if _, err := ParseAt(in, now); err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("ParseAt(%q) = %v, want an error saying %q", in, err, wantErr)
		}
	}
}
