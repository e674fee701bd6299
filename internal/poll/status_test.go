package poll

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"testing"
	"time"
)

func TestPlainError(t *testing.T) {
	// A real refused connection on loopback.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, dialErr := net.Dial("tcp", addr)
	if dialErr == nil {
		t.Skip("the closed port was reused")
	}
	expired, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	live := context.Background()
	cases := []struct {
		err  error
		ctx  context.Context
		want string
	}{
		{fmt.Errorf("query x: %w", dialErr), live, "connection refused"},
		{errRefused, live, "connection refused"},
		{fmt.Errorf("query x: %w", &url.Error{Op: "Post", URL: "u", Err: context.DeadlineExceeded}), live, "timed out after 5s"},
		{errors.New("client error: something opaque"), expired, "timed out after 5s"},
		{fmt.Errorf("read: %w", &net.DNSError{Err: "no such host", Name: "prom.invalid", IsNotFound: true}), live, "no such host prom.invalid"},
		{errors.New("server returned HTTP status 502 Bad Gateway"), live, "server returned HTTP status 502 Bad Gateway"},
	}
	for _, tc := range cases {
		if got := plainError(tc.err, tc.ctx, 5*time.Second); got != tc.want {
			t.Errorf("plainError(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestDedupe(t *testing.T) {
	if got := dedupe(nil); got != nil {
		t.Fatalf("dedupe(nil) = %q", got)
	}
	got := dedupe([]string{"b", "a", "", "b", "a", "c"})
	if fmt.Sprint(got) != "[b a c]" {
		t.Fatalf("dedupe = %q, want first-seen order without blanks", got)
	}
}
