package termsafe

import (
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"
)

// JSON escapes, in encoded JSON, the characters encoding/json leaves as
// they are but a terminal acts on: DEL, the C1 controls (0x9b is CSI,
// 0x9d OSC) and the invisible characters of Invisible. Outside strings
// JSON is ASCII, so each is inside a string and \uXXXX decodes back to
// the same text. JSON without them is returned unchanged.
func JSON(b []byte) []byte {
	if isText(string(b)) {
		return b
	}
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) || Invisible(r) {
			if out == nil {
				out = make([]byte, 0, len(b)+16)
			}
			out = append(out, b[last:i]...)
			out = fmt.Appendf(out, `\u%04x`, r)
			last = i + n
		}
		i += n
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// NewJSONEncoder is json.NewEncoder whose output passes JSON: the text
// of every string is kept, escaped so that no terminal acts on it.
func NewJSONEncoder(w io.Writer) *json.Encoder {
	return json.NewEncoder(jsonWriter{w})
}

// jsonWriter relies on json.Encoder writing each value whole, in one call.
type jsonWriter struct{ w io.Writer }

func (j jsonWriter) Write(p []byte) (int, error) {
	if _, err := j.w.Write(JSON(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
