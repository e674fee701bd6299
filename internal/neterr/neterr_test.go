package neterr

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"
)

func TestPlain(t *testing.T) {
	wrap := func(e error) error {
		return &url.Error{Op: "Get", URL: "http://127.0.0.1:9/metrics", Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", e)}}
	}
	cases := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{wrap(syscall.ECONNREFUSED), "connection refused"},
		{wrap(syscall.ECONNRESET), "connection reset by peer"},
		{wrap(syscall.EHOSTUNREACH), "host unreachable"},
		{fmt.Errorf("query: %w", context.DeadlineExceeded), "timed out after 5s"},
		{&net.DNSError{Name: "prom.internal", IsNotFound: true}, "no such host prom.internal"},
		{&net.DNSError{Name: "prom.internal", Err: "server misbehaving"}, "cannot resolve prom.internal: server misbehaving"},
		{wrap(syscall.EPERM), "operation not permitted"},
	}
	for _, c := range cases {
		if got := Plain(c.err, 5*time.Second); got != c.want {
			t.Errorf("Plain(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
