package prometheus

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/labelrows"
)

// maxDepth bounds nesting, as encoding/json does: deeper input is an
// error, not a stack overflow.
const maxDepth = 10000

// decoder is a cursor over a JSON body.
type decoder struct {
	buf   []byte
	i     int
	depth int
	b     *labelrows.Builder
	cols  []string
	row   []uint32
	// histograms counts the series left out for holding a native histogram.
	histograms int
	// vec, when set, takes the samples instead of b (see decodeVector).
	vec *vectorSink
	// pairTime is the time of the last [time, value] read.
	pairTime model.Time
}

func (d *decoder) fail(what string) error {
	return fmt.Errorf("decode response at byte %d: %s", d.i, what)
}

func (d *decoder) space() {
	for d.i < len(d.buf) {
		switch d.buf[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek is the next byte after white space, 0 at the end.
func (d *decoder) peek() byte {
	d.space()
	if d.i == len(d.buf) {
		return 0
	}
	return d.buf[d.i]
}

func (d *decoder) expect(c byte) error {
	if d.peek() != c {
		return d.fail(fmt.Sprintf("want %q", c))
	}
	d.i++
	return nil
}

// null passes over a null, reporting whether there was one: where a
// value is optional, null means absent, as in encoding/json.
func (d *decoder) null() bool {
	if d.peek() == 'n' && strings.HasPrefix(string(d.buf[d.i:min(len(d.buf), d.i+4)]), "null") {
		d.i += 4
		return true
	}
	return false
}

// object calls member for each key, with the cursor on its value, which
// member must consume. null is an empty object.
func (d *decoder) object(member func(key []byte) error) error {
	if d.null() {
		return nil
	}
	return d.list('{', '}', func() error {
		key, err := d.str()
		if err != nil {
			return err
		}
		if err := d.expect(':'); err != nil {
			return err
		}
		return member(key)
	})
}

// array calls elem for each element, with the cursor on it. null is an
// empty array.
func (d *decoder) array(elem func() error) error {
	if d.null() {
		return nil
	}
	return d.list('[', ']', elem)
}

// list reads opening, items separated by commas, and closing.
func (d *decoder) list(opening, closing byte, item func() error) error {
	if err := d.expect(opening); err != nil {
		return err
	}
	if d.depth++; d.depth > maxDepth {
		return d.fail("nested too deep")
	}
	defer func() { d.depth-- }()
	if d.peek() == closing {
		d.i++
		return nil
	}
	for {
		if err := item(); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.i++
		case closing:
			d.i++
			return nil
		default:
			return d.fail(fmt.Sprintf("want ',' or %q", closing))
		}
	}
}

// str reads a string. The bytes are the body's own when the string is
// plain (no escapes, valid UTF-8); valid until the next call. Escapes and
// invalid UTF-8 are read as encoding/json reads them.
func (d *decoder) str() ([]byte, error) {
	if d.peek() != '"' {
		return nil, d.fail("want a string")
	}
	start := d.i
	d.i++
	plain := true
	ascii := true
	for d.i < len(d.buf) {
		switch c := d.buf[d.i]; {
		case c == '"':
			d.i++
			raw := d.buf[start+1 : d.i-1]
			if plain && (ascii || utf8.Valid(raw)) {
				return raw, nil
			}
			var s string
			if err := json.Unmarshal(d.buf[start:d.i], &s); err != nil {
				return nil, d.fail("bad string: " + err.Error())
			}
			return []byte(s), nil
		case c == '\\':
			plain = false
			d.i += 2
		case c < 0x20:
			return nil, d.fail("control character in a string")
		default:
			ascii = ascii && c < utf8.RuneSelf
			d.i++
		}
	}
	return nil, d.fail("unterminated string")
}

// text reads a string, or null as "", into s.
func (d *decoder) text(s *string) error {
	if d.null() {
		*s = ""
		return nil
	}
	b, err := d.str()
	*s = string(b)
	return err
}

// token passes over a number or a literal and returns it.
func (d *decoder) token() ([]byte, error) {
	d.space()
	start := d.i
scan:
	for ; d.i < len(d.buf); d.i++ {
		switch d.buf[d.i] {
		case ',', '}', ']', ':', ' ', '\t', '\n', '\r':
			break scan
		}
	}
	tok := d.buf[start:d.i]
	if len(tok) == 0 || !json.Valid(tok) {
		return nil, d.fail("bad value")
	}
	return tok, nil
}

// skip passes over any value.
func (d *decoder) skip() error {
	switch d.peek() {
	case '{':
		return d.object(func([]byte) error { return d.skip() })
	case '[':
		return d.array(d.skip)
	case '"':
		_, err := d.str()
		return err
	default:
		_, err := d.token()
		return err
	}
}

// lastWins reads the value of a key that may come again: only the last
// occurrence counts, as encoding/json reads a map, and an earlier one need
// only be well formed. *pending keeps the error of the latest occurrence,
// to be returned once nothing can override it.
func (d *decoder) lastWins(pending *error, read func() error) error {
	start := d.i
	err := read()
	if err == nil {
		*pending = nil
		return nil
	}
	d.i = start
	if serr := d.skip(); serr != nil {
		return err // not even well formed
	}
	*pending = err
	return nil
}
