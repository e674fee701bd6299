package prometheus

import (
	"regexp"
	"strings"

	"github.com/mltop/mltop/internal/human"
)

// thanosStore matches Thanos Query's partial-response warnings, which name
// the store as "Addr: host:port MinTime: … MaxTime: …" after what failed
// ("fetch series for {labels}", "receive series from") and before why.
var thanosStore = regexp.MustCompile(`^(.*?)\s*Addr: (\S+) MinTime: -?\d+ MaxTime: -?\d+: (.*)$`)

// thanosLabels is the store's external labels in "fetch series for {…}".
var thanosLabels = regexp.MustCompile(`(\{[^{}]*\})$`)

// plainWarnings rewrites warnings that are known to be long-winded into one
// short line that names what is missing; others pass unchanged.
func plainWarnings(ws []string) []string {
	if len(ws) == 0 {
		return ws
	}
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = plainWarning(w)
	}
	return out
}

// plainWarning turns "fetch series for {prometheus="eu1"} Addr: 10.0.0.7:10901
// MinTime: … MaxTime: …: rpc error: code = Unavailable desc = connection
// error: … connect: connection refused" into
// `store 10.0.0.7:10901 {prometheus="eu1"}: connection refused`.
func plainWarning(w string) string {
	m := thanosStore.FindStringSubmatch(strings.TrimSpace(w))
	if m == nil {
		return w
	}
	what, addr, why := m[1], m[2], m[3]
	store := "store " + addr
	if l := thanosLabels.FindString(what); l != "" {
		store += " " + l
	}
	if strings.HasPrefix(what, "failed to receive any data in ") {
		// "failed to receive any data in 5s from": the store is too slow.
		d, _, _ := strings.Cut(strings.TrimPrefix(what, "failed to receive any data in "), " ")
		return store + ": no data within " + d
	}
	return store + ": " + grpcReason(why)
}

// grpcReason reduces a gRPC error chain to its cause in a few words.
func grpcReason(s string) string {
	lower := strings.ToLower(s)
	switch {
	case strings.Contains(lower, "connection refused"):
		return "connection refused"
	case strings.Contains(lower, "no such host"):
		return "unknown host"
	case strings.Contains(lower, "code = deadlineexceeded"), strings.Contains(lower, "deadline exceeded"):
		return "timed out"
	case strings.Contains(lower, "code = unavailable"):
		return "unavailable"
	}
	if _, desc, ok := strings.Cut(s, " desc = "); ok {
		s = desc
	}
	return human.Clip(strings.Trim(strings.TrimSpace(s), `"`), 120)
}
