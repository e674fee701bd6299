// Package neterr says why a network call failed in the words an operator
// reads on a status line: "connection refused", "timed out after 5s",
// "no such host prom.internal", without the URL and the chain of transport
// wrappers around the cause. The poller and the built-in engine's scraper
// both speak this way.
package neterr

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

// Plain is err in plain words; "" for nil. timeout is the call's limit,
// named when it ran out.
func Plain(err error, timeout time.Duration) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return "timed out after " + timeout.String()
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

// Timeout reports whether err is a deadline that passed (a context's, a
// client's, a connection's) rather than an answer.
func Timeout(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || isTimeout(err)
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
