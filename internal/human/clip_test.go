package human

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"a longer message", 8, "a longer…"},
		{"héllo", 2, "h…"}, // é is two bytes: cut before it, not inside
		{"bad\xffbyte", 20, "bad?byte"},
		{"", 0, ""},
	}
	for _, c := range cases {
		if got := Clip(c.in, c.n); got != c.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
	long := Clip(strings.Repeat("ü", 10_000), 120)
	if !utf8.ValidString(long) || len(long) > 120+len("…") {
		t.Errorf("clipped 20 kB to %d bytes (valid UTF-8: %v)", len(long), utf8.ValidString(long))
	}
}
