package rules

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/mltop/mltop/internal/narrow"
)

// Experimental functions are accepted, as the config accepts them.
var promqlParser = parser.NewParser(parser.Options{EnableExperimentalFunctions: true})

// withMatchers adds matchers to every series selector of expr. Rules use it
// on labels the profiles never rewrite (le, metric, method); the matchers are
// values, so no label value can change the query.
func withMatchers(expr string, ms ...*labels.Matcher) (string, error) {
	return narrow.Matchers(expr, ms...)
}

// shifted moves every series selector of expr d into the past: the same
// query as it would have answered d ago.
func shifted(expr string, d time.Duration) (string, error) {
	e, err := promqlParser.ParseExpr(expr)
	if err != nil {
		return "", err
	}
	parser.Inspect(e, func(n parser.Node, path []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			vs.OriginalOffsetExpr = nil
			vs.OriginalOffset += d
		}
		return nil
	})
	return e.String(), nil
}

// histogramOf is the bucket-rate expression inside a quantile role
// (histogram_quantile(q, BUCKETS)); ok is false when the role is not a
// quantile of a classic histogram.
func histogramOf(expr string) (string, bool) {
	e, err := promqlParser.ParseExpr(expr)
	if err != nil {
		return "", false
	}
	for {
		p, ok := e.(*parser.ParenExpr)
		if !ok {
			break
		}
		e = p.Expr
	}
	c, ok := e.(*parser.Call)
	if !ok || c.Func.Name != "histogram_quantile" || len(c.Args) != 2 {
		return "", false
	}
	return c.Args[1].String(), true
}

// leRegex matches the le label of the bucket bound v however an exporter
// writes it: Go's client writes 1 and 0.5, Python's 1.0 and 0.5, and
// Prometheus 3 normalises to 1.0.
func leRegex(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if strings.ContainsAny(s, "e") {
		return regexp.QuoteMeta(s)
	}
	if !strings.Contains(s, ".") {
		return regexp.QuoteMeta(s) + `(\.0*)?`
	}
	return regexp.QuoteMeta(s) + "0*"
}

// anyOf is an anchored, case-insensitive regex matching any of names.
func anyOf(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = regexp.QuoteMeta(n)
	}
	return "(?i)" + strings.Join(q, "|")
}

func mustMatcher(t labels.MatchType, name, value string) *labels.Matcher {
	m, err := labels.NewMatcher(t, name, value)
	if err != nil {
		panic(err) // the regexes are built here, from constants
	}
	return m
}

// onlyValues keeps the series of expr whose label holds one of values, by
// joining on a constant vector: it works on the labels a query gives
// (after any label_replace), not the raw series'.
func onlyValues(expr, label string, values ...string) string {
	alts := make([]string, len(values))
	for i, v := range values {
		alts[i] = `label_replace(vector(1), "` + label + `", ` + strconv.Quote(v) + `, "", "")`
	}
	return "(" + expr + ") and on (" + label + ") (" + strings.Join(alts, " or ") + ")"
}

// num writes a threshold for PromQL: short, without float noise
// (1 - 0.999 is 0.001, not 0.0010000000000000009).
func num(v float64) string {
	return strconv.FormatFloat(round12(v), 'g', -1, 64)
}

// pct writes a ratio as people read it: 0.05 is 5%, 0.999 is 99.9%.
func pct(v float64) string {
	return strconv.FormatFloat(round12(v*100), 'g', -1, 64) + "%"
}

func round12(v float64) float64 {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	f, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		return v
	}
	return f
}
