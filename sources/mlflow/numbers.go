package mlflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Protobuf's JSON mapping writes int64 as strings and non-finite doubles as
// "NaN"/"Infinity". MLflow's own server turns int64 back into numbers, but
// proxies and other implementations may not, so both spellings are accepted.

// Int64 is an int64 sent as a JSON number or a decimal string.
type Int64 int64

// UnmarshalJSON accepts 12, "12" and null.
func (n *Int64) UnmarshalJSON(b []byte) error {
	s, null := unquote(b)
	if null {
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// Some writers emit integral values as 1.7e12.
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt64 {
			return fmt.Errorf("not an integer: %s", b)
		}
		v = int64(f)
	}
	*n = Int64(v)
	return nil
}

// Millis is a timestamp in milliseconds since the Unix epoch.
type Millis int64

// UnmarshalJSON accepts numbers and decimal strings.
func (m *Millis) UnmarshalJSON(b []byte) error {
	var n Int64
	if err := n.UnmarshalJSON(b); err != nil {
		return err
	}
	*m = Millis(n)
	return nil
}

// Time returns the timestamp as a time, or the zero time when unset.
func (m Millis) Time() time.Time {
	if m == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(m)).UTC()
}

// Float is a float64 that may arrive as "NaN", "Infinity" or "-Infinity".
type Float float64

// UnmarshalJSON accepts numbers, numeric strings and the non-finite spellings.
func (f *Float) UnmarshalJSON(b []byte) error {
	s, null := unquote(b)
	if null {
		return nil
	}
	switch s {
	case "NaN", "nan":
		*f = Float(math.NaN())
		return nil
	case "Infinity", "inf", "+Infinity":
		*f = Float(math.Inf(1))
		return nil
	case "-Infinity", "-inf":
		*f = Float(math.Inf(-1))
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not a number: %s", b)
	}
	*f = Float(v)
	return nil
}

// MarshalJSON writes finite values as numbers and the rest as protobuf spells them.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return []byte(`"NaN"`), nil
	case math.IsInf(v, 1):
		return []byte(`"Infinity"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Infinity"`), nil
	}
	return json.Marshal(v)
}

// LenientState is an enum MLflow sends as a string; any other JSON shape is
// kept as its text, so an unexpected form never fails the whole answer.
type LenientState string

// UnmarshalJSON keeps strings as they are and other values as compact JSON.
func (s *LenientState) UnmarshalJSON(b []byte) error {
	v, null := unquote(b)
	if null {
		return nil
	}
	if len(b) > 0 && b[0] != '"' {
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err == nil {
			v = buf.String()
		}
	}
	*s = LenientState(v)
	return nil
}

// UnmarshalJSON accepts the documented object and, leniently, a bare state string.
func (d *DeploymentJobState) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var st string
		if err := json.Unmarshal(b, &st); err != nil {
			return err
		}
		*d = DeploymentJobState{JobState: st}
		return nil
	}
	type plain DeploymentJobState // without this method
	return json.Unmarshal(b, (*plain)(d))
}

// unquote strips the quotes of a JSON string literal and reports a JSON null.
func unquote(b []byte) (string, bool) {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return "", true
	}
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err == nil {
			return s, false
		}
	}
	return string(b), false
}
