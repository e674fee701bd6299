package common

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/human"
)

// Fit truncates s to w cells (with "…") and pads it with spaces to exactly
// w, so a line can be laid out by cells whatever its styling.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// WrapText breaks plain text at spaces into lines of at most width cells,
// keeping no more than maxLines (the last one truncated); maxLines 0 keeps
// them all.
func WrapText(s string, width, maxLines int) []string {
	if width <= 0 {
		return nil
	}
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case ansi.StringWidth(line)+1+ansi.StringWidth(w) <= width:
			line += " " + w
		default:
			out = append(out, line)
			line = w
		}
	}
	if line != "" {
		out = append(out, line)
	}
	if maxLines > 0 && len(out) > maxLines {
		last := strings.Join(out[maxLines-1:], " ")
		out = append(out[:maxLines-1], ansi.Truncate(last, width, "…"))
	}
	return out
}

// RangeText names a graph range the way the range keys do: 15m, 1h, 24h.
func RangeText(r time.Duration) string {
	if r >= time.Hour && r%time.Hour == 0 {
		return fmt.Sprintf("%dh", r/time.Hour)
	}
	return human.Duration(r)
}
