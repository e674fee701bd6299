package prometheus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/mltop/mltop/internal/table"
)

// answer is a query response read straight into a table: the labels not
// asked for are skipped where they lie in the body, and the others are
// interned, so no label map or string is made per sample.
//
// It reads what client_golang's API reads, to the same values, with one
// difference no server shows: keys are matched exactly, where
// encoding/json also takes "Status" for "status".
type answer struct {
	status     string
	errorType  v1.ErrorType
	errorMsg   string
	resultType string
	warnings   []string
	tab        *table.Table
	hasResult  bool
	// pair is the [time, "value"] of a scalar or string result.
	pair    string
	hasPair bool
}

// maxDepth bounds nesting, as encoding/json does: deeper input is an
// error, not a stack overflow.
const maxDepth = 10000

// decodeAnswer reads a /api/v1/query response body. A successful answer
// must hold a result of a known type; a scalar is one row without labels,
// a matrix or a string no row.
func decodeAnswer(body []byte, cols []string) (*answer, error) {
	// Every row has a "value" key: counting them (fast) sizes the table
	// once instead of growing it through a dozen copies.
	rows := bytes.Count(body, []byte(`"value"`))
	d := decoder{buf: body, b: table.NewBuilder(cols, rows), row: make([]uint32, len(cols)), cols: cols}
	a := &answer{}
	var resultErr error
	err := d.object(func(key []byte) error {
		switch string(key) {
		case "status":
			return d.text(&a.status)
		case "errorType":
			var s string
			err := d.text(&s)
			a.errorType = v1.ErrorType(s)
			return err
		case "error":
			return d.text(&a.errorMsg)
		case "warnings":
			a.warnings = nil
			return d.array(func() error {
				var s string
				err := d.text(&s)
				a.warnings = append(a.warnings, s)
				return err
			})
		case "data":
			return d.object(func(key []byte) error {
				switch string(key) {
				case "resultType":
					return d.text(&a.resultType)
				case "result":
					return d.lastWins(&resultErr, func() error {
						if d.b.Rows() > 0 { // a result before this one
							d.b = table.NewBuilder(d.cols, rows)
						}
						a.hasPair, a.hasResult = false, true
						return d.result(a)
					})
				}
				return d.skip()
			})
		}
		return d.skip()
	})
	if err == nil {
		err = resultErr
	}
	if err == nil {
		d.space()
		if d.i < len(d.buf) {
			err = d.fail("data after the response")
		}
	}
	if err != nil {
		return nil, err
	}
	if a.status != "error" {
		if err := a.check(&d); err != nil {
			return nil, err
		}
	}
	a.tab = d.b.Table()
	return a, nil
}

// check holds a successful answer's result to its type.
func (a *answer) check(d *decoder) error {
	switch a.resultType {
	case "vector":
		if !a.hasResult || a.hasPair {
			return errors.New("decode response: a vector result that is not a list of series")
		}
	case "scalar":
		if !a.hasPair {
			return errors.New("decode response: a scalar result that is not [time, value]")
		}
		v, err := strconv.ParseFloat(a.pair, 64)
		if err != nil {
			return fmt.Errorf("decode response: bad scalar %q", a.pair)
		}
		clear(d.row)
		d.b.Add(d.row, v)
	case "matrix", "string":
		// Answered, but not with instant values: QueryTable says so.
	default:
		return fmt.Errorf("decode response: unknown result type %q", a.resultType)
	}
	return nil
}

// decoder is a cursor over a JSON body.
type decoder struct {
	buf   []byte
	i     int
	depth int
	b     *table.Builder
	cols  []string
	row   []uint32
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

// result reads data.result: a list of series (a vector) or [time,
// "value"] (a scalar or a string).
func (d *decoder) result(a *answer) error {
	if d.null() {
		return nil
	}
	if d.peek() != '[' {
		return d.fail("want the result array")
	}
	save := d.i
	d.i++
	if c := d.peek(); c != '{' && c != ']' && c != 'n' {
		d.i = save
		s, err := d.pair()
		a.pair, a.hasPair = string(s), true
		return err
	}
	d.i = save
	return d.array(d.sample)
}

// sample reads one series of a vector. One with a native histogram has
// no row (as Query leaves it out); one with neither a value nor a
// histogram is valued 0, as client_golang reads it.
func (d *decoder) sample() error {
	if d.null() {
		return nil // a nil sample, which Query leaves out
	}
	clear(d.row)
	histogram := false
	var v float64
	var metricErr, valueErr error
	err := d.object(func(key []byte) error {
		switch string(key) {
		case "metric":
			return d.lastWins(&metricErr, func() error {
				clear(d.row)
				return d.object(d.label)
			})
		case "value":
			return d.lastWins(&valueErr, func() error {
				v = 0
				if d.null() {
					return nil
				}
				s, err := d.pair()
				if err != nil {
					return err
				}
				if v, err = strconv.ParseFloat(string(s), 64); err != nil {
					return d.fail(fmt.Sprintf("bad sample value %q", s))
				}
				return nil
			})
		case "histogram":
			if d.null() {
				return d.fail("a null histogram") // client_golang refuses it too
			}
			histogram = true
		}
		return d.skip()
	})
	err = errors.Join(err, metricErr, valueErr)
	if err == nil && !histogram {
		d.b.Add(d.row, v)
	}
	return err
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

// label reads one label of a series' metric, keeping it when it is a
// column.
func (d *decoder) label(name []byte) error {
	for c, col := range d.cols {
		if string(name) != col {
			continue
		}
		if d.null() {
			d.row[c] = table.Absent
			return nil
		}
		val, err := d.str()
		if err != nil {
			return err
		}
		d.row[c] = d.b.InternBytes(val)
		return nil
	}
	return d.skip()
}

// pair reads [time, "value", ...] and returns the value's text; the time
// must read as client_golang reads it (seconds, up to three decimals
// kept), elements after the value are passed over.
func (d *decoder) pair() ([]byte, error) {
	var v []byte
	n := 0
	err := d.array(func() error {
		n++
		switch n {
		case 1:
			tok, err := d.token()
			if err == nil && !validTime(tok) {
				err = d.fail(fmt.Sprintf("bad timestamp %s", tok))
			}
			return err
		case 2:
			s, err := d.str()
			v = s
			return err
		}
		return d.skip()
	})
	if err == nil && n < 2 {
		err = d.fail("a sample is not [time, value]")
	}
	return v, err
}

// validTime reports whether tok reads as a model.Time.
func validTime(tok []byte) bool {
	base, frac, found := strings.Cut(string(tok), ".")
	if _, err := strconv.ParseInt(base, 10, 64); err != nil {
		return false
	}
	if !found {
		return true
	}
	_, err := strconv.ParseInt(frac[:min(len(frac), 3)], 10, 32)
	return err == nil
}
