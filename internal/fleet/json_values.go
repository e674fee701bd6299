package fleet

import (
	"math"
	"time"
)

// How single values are written: unknown (nil, NaN, ±Inf, zero time) is
// null, never 0 or "".

// str maps "" (unknown) to null.
func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// num maps nil and non-finite values to null: JSON has no NaN, and a NaN
// from PromQL means "no answer", not a number.
func num(f *float64) *float64 {
	if f == nil || math.IsNaN(*f) || math.IsInf(*f, 0) {
		return nil
	}
	v := *f
	return &v
}

func cleanMap(m map[string]float64) map[string]float64 {
	if m == nil {
		return nil
	}
	out := make(map[string]float64, len(m))
	for k, v := range m {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out[k] = v
		}
	}
	return out
}

func cleanIntervals(m map[string][2]float64) map[string][2]float64 {
	if m == nil {
		return nil
	}
	out := make(map[string][2]float64, len(m))
	for k, v := range m {
		if known(v[0]) && known(v[1]) {
			out[k] = v
		}
	}
	return out
}

func known(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func timeStr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func age(now, t time.Time) *float64 {
	if t.IsZero() || now.IsZero() {
		return nil
	}
	a := now.Sub(t).Seconds()
	return &a
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func progressOf(p *Progress) *progressJSON {
	if p == nil {
		return nil
	}
	out := &progressJSON{Done: p.Done, Unit: p.Unit}
	if p.Total > 0 {
		out.Total = &p.Total
	}
	return out
}

func recordedOf(r *Recorded) *recordedJSON {
	if r == nil {
		return nil
	}
	out := &recordedJSON{Roles: make([]string, 0, len(r.Roles)), Of: r.Of}
	for _, role := range r.Roles {
		out.Roles = append(out.Roles, string(role))
	}
	return out
}
