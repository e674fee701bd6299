package prometheus

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/mltop/mltop/internal/table"
)

// answer is a query response read straight into a table: the labels not
// asked for are skipped where they lie in the body, and the others are
// interned, so no label map or string is made per sample.
type answer struct {
	status     string
	errorType  v1.ErrorType
	errorMsg   string
	resultType string
	warnings   []string
	tab        *table.Table
	// matrix is set when the result held range series.
	matrix bool
	// pair is the value of a scalar or string result.
	pair    string
	hasPair bool
}

// decodeAnswer reads a /api/v1/query response body.
func decodeAnswer(body []byte, cols []string) (*answer, error) {
	d := decoder{buf: body, b: table.NewBuilder(cols, 0), row: make([]uint32, len(cols)), cols: cols}
	a := &answer{}
	err := d.object(func(key []byte) error {
		switch string(key) {
		case "status":
			s, err := d.text()
			a.status = s
			return err
		case "errorType":
			s, err := d.text()
			a.errorType = v1.ErrorType(s)
			return err
		case "error":
			s, err := d.text()
			a.errorMsg = s
			return err
		case "warnings":
			return d.array(func() error {
				s, err := d.text()
				a.warnings = append(a.warnings, s)
				return err
			})
		case "data":
			return d.object(func(key []byte) error {
				switch string(key) {
				case "resultType":
					s, err := d.text()
					a.resultType = s
					return err
				case "result":
					// A repeated key: the last one counts, as in encoding/json.
					d.b = table.NewBuilder(d.cols, 0)
					a.matrix, a.hasPair = false, false
					return d.result(a)
				}
				return d.skip()
			})
		}
		return d.skip()
	})
	if err == nil {
		d.space()
		if d.i < len(d.buf) {
			err = d.fail("data after the response")
		}
	}
	if err != nil {
		return nil, err
	}
	if a.hasPair && a.resultType == "scalar" {
		v, err := strconv.ParseFloat(a.pair, 64)
		if err != nil {
			return nil, fmt.Errorf("decode response: bad scalar %q", a.pair)
		}
		clear(d.row)
		d.b.Add(d.row, v)
	}
	a.tab = d.b.Table()
	return a, nil
}

// decoder is a cursor over a JSON body.
type decoder struct {
	buf  []byte
	i    int
	b    *table.Builder
	cols []string
	row  []uint32
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

// object calls member for each key, with the cursor on its value, which
// member must consume.
func (d *decoder) object(member func(key []byte) error) error {
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

// array calls elem for each element, with the cursor on it.
func (d *decoder) array(elem func() error) error {
	return d.list('[', ']', elem)
}

// list reads opening, items separated by commas, and closing.
func (d *decoder) list(opening, closing byte, item func() error) error {
	if err := d.expect(opening); err != nil {
		return err
	}
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

// str reads a string. The bytes are the body's own when the string has no
// escapes; valid until the next call.
func (d *decoder) str() ([]byte, error) {
	if d.peek() != '"' {
		return nil, d.fail("want a string")
	}
	start := d.i
	d.i++
	escaped := false
	for d.i < len(d.buf) {
		switch c := d.buf[d.i]; {
		case c == '"':
			d.i++
			if !escaped {
				return d.buf[start+1 : d.i-1], nil
			}
			var s string
			if err := json.Unmarshal(d.buf[start:d.i], &s); err != nil {
				return nil, d.fail("bad string: " + err.Error())
			}
			return []byte(s), nil
		case c == '\\':
			escaped = true
			d.i += 2
		case c < 0x20:
			return nil, d.fail("control character in a string")
		default:
			d.i++
		}
	}
	return nil, d.fail("unterminated string")
}

func (d *decoder) text() (string, error) {
	b, err := d.str()
	return string(b), err
}

// skip passes over any value.
func (d *decoder) skip() error {
	switch c := d.peek(); {
	case c == '{':
		return d.object(func([]byte) error { return d.skip() })
	case c == '[':
		return d.array(d.skip)
	case c == '"':
		_, err := d.str()
		return err
	default:
		start := d.i
	scan:
		for ; d.i < len(d.buf); d.i++ {
			switch d.buf[d.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				break scan
			}
		}
		if !json.Valid(d.buf[start:d.i]) {
			return d.fail("bad value")
		}
		return nil
	}
}

// result reads data.result: a vector (objects with metric and value), a
// scalar or string ([time, "value"]) or a matrix (objects with values).
func (d *decoder) result(a *answer) error {
	if d.peek() != '[' {
		return d.fail("want the result array")
	}
	save := d.i
	d.i++
	if c := d.peek(); c != '{' && c != ']' {
		d.i = save
		s, err := d.pair()
		a.pair, a.hasPair = string(s), true
		return err
	}
	d.i = save
	return d.array(func() error { return d.sample(a) })
}

// sample reads one series of a vector; one with a native histogram instead
// of a value has no row.
func (d *decoder) sample(a *answer) error {
	clear(d.row)
	has := false
	var v float64
	err := d.object(func(key []byte) error {
		switch string(key) {
		case "metric":
			return d.object(func(name []byte) error {
				for c, col := range d.cols {
					if string(name) == col {
						val, err := d.str()
						if err != nil {
							return err
						}
						d.row[c] = d.b.InternBytes(val)
						return nil
					}
				}
				return d.skip()
			})
		case "value":
			s, err := d.pair()
			if err != nil {
				return err
			}
			if v, err = strconv.ParseFloat(string(s), 64); err != nil {
				return d.fail(fmt.Sprintf("bad sample value %q", s))
			}
			has = true
			return nil
		case "values":
			a.matrix = true
		}
		return d.skip()
	})
	if err == nil && has {
		d.b.Add(d.row, v)
	}
	return err
}

// pair reads [time, "value"] and returns the value's text.
func (d *decoder) pair() ([]byte, error) {
	var v []byte
	n := 0
	err := d.array(func() error {
		n++
		if n != 2 {
			return d.skip()
		}
		s, err := d.str()
		v = s
		return err
	})
	if err == nil && n != 2 {
		err = errors.New("decode response: a sample is not [time, value]")
	}
	return v, err
}
