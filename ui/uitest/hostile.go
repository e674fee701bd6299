package uitest

import (
	"regexp"

	"github.com/mltop/mltop/internal/termsafe"
)

// Hostile is what a hostile server puts in a string: a clipboard write
// (OSC 52), a retitle (OSC 0), a C1 clear screen, a bidi override and a
// forged line.
const Hostile = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x1b\\\u009b2J\u202e\r\nFORGED"

// colours are the only escape sequences screens draw themselves.
var colours = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// TerminalActs is the first character of a drawn view, its colours aside,
// that a terminal would act on or that hides or reorders text.
func TerminalActs(view string) (rune, bool) {
	for _, r := range colours.ReplaceAllString(view, "") {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) || termsafe.Invisible(r) {
			return r, true
		}
	}
	return 0, false
}
