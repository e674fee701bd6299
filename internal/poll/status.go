package poll

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"
)

// plainError says what went wrong in words an operator reads at a glance:
// "connection refused", "timed out after 5s", rather than a chain of
// wrappers around a context error. ctx is the call's context, deadline its
// timeout.
func plainError(err error, ctx context.Context, deadline time.Duration) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err),
		errors.Is(ctx.Err(), context.DeadlineExceeded):
		return "timed out after " + deadline.String()
	case errors.Is(err, context.Canceled), ctx.Err() != nil:
		return "canceled"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by peer"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "host unreachable"
	case errors.Is(err, syscall.ENETUNREACH):
		return "network unreachable"
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsNotFound {
			return "no such host " + dns.Name
		}
		return "cannot resolve " + dns.Name + ": " + dns.Err
	}
	// Transport wrappers repeat the URL and the syscall; what is inside them
	// is the news.
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		err = ue.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		err = oe.Err
	}
	var se *os.SyscallError
	if errors.As(err, &se) && se.Err != nil {
		err = se.Err
	}
	return strings.TrimSpace(err.Error())
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// dedupe returns the distinct strings of in, in first-seen order; nil when none.
func dedupe(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(in))
	var out []string
	for _, s := range in {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}
