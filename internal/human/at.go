package human

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// atLayouts are the absolute forms ParseAt reads; without a zone they are UTC.
var atLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseAt reads a past time as a person types it: RFC 3339
// (2026-03-04T03:00:00Z), a date and time without a zone, taken as UTC
// (2026-03-04T03:00, 2026-03-04 03:00), or a time back from now (-2h,
// -90m, -1d12h). A time after now is refused: there is nothing to show
// yet.
func ParseAt(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("no time given: write e.g. -1h or 2026-03-04T03:00")
	}
	var at time.Time
	if strings.HasPrefix(s, "-") {
		d, err := parseBack(s[1:])
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a time back from now (write e.g. -2h, -90m, -1d): %w", s, err)
		}
		at = now.Add(-d)
	} else {
		var err error
		if at, err = parseAbsolute(s); err != nil {
			return time.Time{}, err
		}
	}
	if at.After(now) {
		return time.Time{}, fmt.Errorf("%s is in the future: looking back needs a past time", at.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	return at, nil
}

func parseAbsolute(s string) (time.Time, error) {
	for _, layout := range atLayouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time: write RFC 3339 (2026-03-04T03:00:00Z), a UTC date and time (2026-03-04T03:00) or a time back from now (-2h)", s)
}

// parseBack reads a Go duration that may start with whole days (1d12h).
func parseBack(s string) (time.Duration, error) {
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 {
			return 0, fmt.Errorf("bad day count %q", s[:i])
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errors.New("not a duration")
	}
	if d < 0 {
		return 0, errors.New("negative")
	}
	return days + d, nil
}
