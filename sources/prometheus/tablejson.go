package prometheus

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/labelrows"
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
	tab        *labelrows.Table
	histograms int // series left out for holding a native histogram
	hasResult  bool
	// pair is the [time, "value"] of a scalar or string result.
	pair     string
	pairTime model.Time
	hasPair  bool
}

// decodeAnswer reads a /api/v1/query response body. A successful answer
// must hold a result of a known type; a scalar is one row without labels,
// a matrix or a string no row.
func decodeAnswer(body []byte, cols []string) (*answer, error) {
	// Every row has a "value" key: counting them (fast) sizes the table
	// once instead of growing it through a dozen copies.
	rows := min(bytes.Count(body, []byte(`"value"`)), maxPresize)
	d := decoder{buf: body, b: labelrows.NewBuilder(cols, rows), row: make([]uint32, len(cols)), cols: cols}
	a, err := d.answer(func() {
		if d.b.Rows() > 0 || d.histograms > 0 { // a result before this one
			d.b, d.histograms = labelrows.NewBuilder(d.cols, rows), 0
		}
	})
	if err != nil {
		return nil, err
	}
	a.tab, a.histograms = d.b.Table(), d.histograms
	return a, nil
}

// answer reads a whole response; restart is called before each "result"
// key, which drops what an earlier one left.
func (d *decoder) answer(restart func()) (*answer, error) {
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
						restart()
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
		if err := a.check(d); err != nil {
			return nil, err
		}
	}
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
		if d.vec != nil {
			d.vec.scalar(v, a.pairTime)
			break
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
		a.pairTime = d.pairTime
		return err
	}
	d.i = save
	return d.array(d.sample)
}

// sample reads one series of a vector. One with a native histogram has
// no row (as Query leaves it out); one with neither a value nor a
// histogram is valued 0, as client_golang reads it.
func (d *decoder) sample() error {
	if d.vec != nil {
		return d.vectorSample()
	}
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
	switch {
	case err != nil:
	case histogram:
		d.histograms++
	default:
		d.b.Add(d.row, v)
	}
	return err
}

// label reads one label of a series' metric, keeping it when it is a
// column.
func (d *decoder) label(name []byte) error {
	for c, col := range d.cols {
		if string(name) != col {
			continue
		}
		if d.null() {
			d.row[c] = labelrows.Absent
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

// pair reads [time, "value", ...] and returns the value's text, leaving
// the time in d.pairTime; the time must read as client_golang reads it
// (seconds, up to three decimals kept), elements after the value are
// passed over.
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
			if err == nil && d.vec != nil { // a table keeps no times
				err = d.pairTime.UnmarshalJSON(tok)
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
