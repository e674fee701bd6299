package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
)

// WriteVerdict writes a verdict as text (a table of the quantities
// compared, then the outcome and why) or as JSON (VerdictDoc).
func WriteVerdict(w io.Writer, d VerdictDoc, format string) error {
	if format == "json" {
		enc := termsafe.NewJSONEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(d)
	}
	var b strings.Builder
	termsafe.Fprintf(&b, "%s: candidate %s against baseline %s, counts over the last %s\n\n",
		d.Model, d.Candidate, dash(d.Baseline), human.Duration(secondsDuration(d.WindowSeconds)))
	var tb strings.Builder
	tw := tabwriter.NewWriter(&tb, 0, 0, 2, ' ', 0)
	row(tw, "QUANTITY", "CANDIDATE", "BASELINE", "RESULT", "P / 95% INTERVAL", "NOTE")
	for _, r := range d.Rows {
		note := r.NeedMore
		if r.Why != "" && note != "" {
			note += "; "
		}
		note += r.Why
		row(tw, r.Quantity, side(r.Quantity, r.Candidate, r.CandidateSamples), side(r.Quantity, r.Baseline, r.BaselineSamples),
			result(r.Comparison), evidence(r), note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(d.Rows) > 0 { // with none, the why says what is missing
		table := strings.Split(tb.String(), "\n")
		for i := range table {
			table[i] = strings.TrimRight(table[i], " ") // the padding of an empty last cell
		}
		b.WriteString(strings.Join(table, "\n"))
		b.WriteString("\n")
	}
	for _, f := range d.Failures {
		what := f.Source
		if f.Query != "" {
			what += " query " + f.Query
		}
		termsafe.Fprintf(&b, "FAILED    %s: %s\n", what, f.Error)
	}
	termsafe.Fprintf(&b, "%s: %s\n", outcomeWord(d.Outcome), d.Why)
	return termsafe.WriteText(w, b.String())
}

// outcomeWord is the outcome as the last line's first word.
func outcomeWord(o string) string {
	switch o {
	case "pass":
		return "PASS"
	case "fail":
		return "FAIL"
	}
	return "NOT ENOUGH DATA"
}

// result is a comparison as the table shows it: ≈ for no significant
// difference, ? when it could not be compared.
func result(c string) string {
	switch c {
	case "better", "worse":
		return c
	case "same":
		return "≈"
	}
	return "?"
}

// side is one version's figure and the count it rests on: "4.1% of 2,400".
func side(quantity string, v, n *float64) string {
	s := "—"
	if v != nil {
		s = value(quantity, *v)
	}
	if n != nil && (v != nil || *n > 0) {
		s += " of " + count(*n)
	}
	return s
}

// value formats a figure in its quantity's unit.
func value(quantity string, v float64) string {
	switch {
	case strings.Contains(quantity, "error"):
		// Three digits: canary and stable error rates differ in the
		// second or third (0.104% against 0.0289%).
		return trimFloat(v*100, 3) + "%"
	case strings.Contains(quantity, "latency"):
		return human.Seconds(v)
	}
	return trimFloat(v, 3)
}

// delta formats a difference candidate − baseline in its quantity's unit.
func delta(quantity string, d float64) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	switch {
	case strings.Contains(quantity, "error"):
		return sign + trimFloat(d*100, 2) + "pp"
	case strings.Contains(quantity, "latency"):
		return sign + human.Seconds(d)
	}
	return sign + trimFloat(d, 3)
}

// evidence is the p-value and the interval, where the method gives them.
func evidence(r VerdictRowDoc) string {
	var parts []string
	if p := r.PValue; p != nil {
		if *p < 0.0001 {
			parts = append(parts, "p<0.0001")
		} else {
			parts = append(parts, "p="+trimFloat(*p, 2))
		}
	}
	if i := r.Interval; i != nil {
		parts = append(parts, "["+delta(r.Quantity, i[0])+", "+delta(r.Quantity, i[1])+"]")
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " ")
}

// count formats a number of requests or labels with thousands separators.
func count(n float64) string {
	if math.IsNaN(n) || math.IsInf(n, 0) || math.Abs(n) >= 1e15 {
		return human.Rate(n)
	}
	s := fmt.Sprintf("%.0f", math.Abs(n))
	var b strings.Builder
	if n < 0 {
		b.WriteString("-")
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// trimFloat is v to digits significant digits, without trailing zeros.
func trimFloat(v float64, digits int) string {
	return fmt.Sprintf("%.*g", digits, v)
}

// secondsDuration turns window_seconds back into a duration.
func secondsDuration(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
