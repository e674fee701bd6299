package config

import (
	"errors"
	"strings"
	"time"

	"github.com/prometheus/common/model"
)

var errNotDuration = errors.New("not a duration")

// parseDuration accepts Prometheus durations (30s, 5m, 7d, 2w, 1h30m) and Go
// durations (1.5h, 250ms, 1h30m); Go's form may be negative, which callers
// reject where it makes no sense.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if d, err := model.ParseDuration(s); err == nil {
		return time.Duration(d), nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	return 0, errNotDuration
}

// FormatDuration renders d the way PromQL range selectors write it: 1m,
// 1m30s, 1h, 7d.
func FormatDuration(d time.Duration) string {
	return model.Duration(d).String()
}

// showDuration writes d for messages: Prometheus style when that is exact.
func showDuration(d time.Duration) string {
	if d%time.Millisecond != 0 {
		return d.String()
	}
	return FormatDuration(d)
}
