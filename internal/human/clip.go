package human

import (
	"strings"
	"unicode/utf8"
)

// Clip bounds a text a server sent before it is kept or shown: invalid
// UTF-8 becomes '?', and past n bytes it is cut on a rune boundary and
// marked with "…".
func Clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
