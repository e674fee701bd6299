package termsafe

import (
	"io"
	"sync"
	"unicode/utf8"
)

// Writer passes text on to a terminal (or a pipe a terminal will show)
// without a byte that could act on it: every control character but
// newline and tab, DEL, C1 controls, invalid UTF-8 (a lone 0x9b is CSI to
// an 8-bit terminal) and the invisible characters of Invisible. It is the
// last line of defence behind Clean: text printed by mltop's commands
// passes it whatever its call site forgot. It keeps line breaks, so the
// fields inside a line must still be cleaned (Fprintf does that) lest a
// value with a newline forge a line of its own.
//
// A multi-byte character split across two writes is held until the rest
// comes. Safe for concurrent use.
type Writer struct {
	mu      sync.Mutex
	w       io.Writer
	pending []byte // the start of a character the next write completes
}

// NewWriter wraps w; a *Writer is returned as is.
func NewWriter(w io.Writer) io.Writer {
	if tw, ok := w.(*Writer); ok {
		return tw
	}
	return &Writer{w: w}
}

// Write filters p and writes what is left. It reports len(p) on success:
// the bytes dropped were consumed, not lost to an error.
func (t *Writer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	buf := p
	if len(t.pending) > 0 {
		buf = append(append([]byte(nil), t.pending...), p...)
		t.pending = nil
	}
	if n := incompleteTail(buf); n > 0 {
		t.pending = append([]byte(nil), buf[len(buf)-n:]...)
		buf = buf[:len(buf)-n]
	}
	out := filter(buf)
	if len(out) == 0 {
		return len(p), nil
	}
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Text is s as a Writer would pass it: line breaks and tabs kept, every
// other control, invalid byte and invisible character dropped.
func Text(s string) string {
	if isText(s) {
		return s
	}
	return string(filter([]byte(s)))
}

// WriteText writes text mltop composed itself (help, multi-line messages
// from fields already cleaned) through the same filter as Writer.
func WriteText(w io.Writer, s string) error {
	_, err := io.WriteString(w, Text(s))
	return err
}

// incompleteTail is the length of a character begun at the end of b but
// not finished there; 0 when b ends on a whole character.
func incompleteTail(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax+1; i-- {
		if !utf8.RuneStart(b[i]) {
			continue
		}
		if b[i] >= 0xc0 && !utf8.FullRune(b[i:]) {
			return len(b) - i
		}
		return 0
	}
	return 0
}

// isText reports text with nothing to drop: printable ASCII, newline, tab.
func isText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

func filter(b []byte) []byte {
	if isText(string(b)) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == '\n' || r == '\t':
			out = append(out, byte(r))
		case r == utf8.RuneError && n == 1:
			out = utf8.AppendRune(out, utf8.RuneError)
		case r < 0x20, r >= 0x7f && r <= 0x9f, Invisible(r), r == 0x2028, r == 0x2029:
			// dropped
		default:
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}
