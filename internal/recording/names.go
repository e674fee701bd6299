// Package recording turns the config's role queries into Prometheus
// recording rules (`mltop rules --recording`) and finds which of them a
// server already records, so that mltop reads one recorded series per role
// instead of evaluating its expression on every refresh.
package recording

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/mltop/mltop/internal/config"
)

// Interval is how often the generated rules are evaluated. Recorded values
// lag the raw expression by up to this much; see docs/alerting.md.
const Interval = 15 * time.Second

// GroupName names the rule group in the generated file.
const GroupName = "mltop-recording"

// Rule is one role recorded as one series.
type Rule struct {
	Role   string // the role it fills
	Record string // the recorded series' name: level:metric:operations
	Expr   string // the role's expression as the config renders it
}

// slowRoles are re-read by mltop on their own, slow schedules (once a
// minute or rarer) and answer with a series per bucket: a rule evaluated
// often enough to matter would cost the server more than mltop's reads and
// would write as many new series as their answers have rows.
var slowRoles = map[string]bool{
	"feature_buckets": true, "feature_buckets_reference": true,
	"feature_categories": true, "feature_categories_reference": true,
	"score_calibration": true, "feature_missing": true, "feature_missing_reference": true,
}

// Rules lists the roles of cfg worth recording, in the config's role order:
// those evaluated on every refresh over a range of samples (rates,
// increases, quantiles of rates), aggregated to a level the expression
// names. Roles that read only the newest samples gain nothing from a rule;
// roles whose level or window cannot be read from the expression are left
// to their raw query.
func Rules(cfg *config.Config) ([]Rule, error) {
	qs, err := cfg.SentQueries()
	if err != nil {
		return nil, fmt.Errorf("recording rules: %w", err)
	}
	var out []Rule
	seen := map[string]bool{}
	for _, q := range qs {
		// A role mltop does not send (its check is off) is not among qs.
		if slowRoles[q.Role] {
			continue
		}
		name, ok := recordedName(q.Role, q.Expr)
		if !ok || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, Rule{Role: q.Role, Record: name, Expr: q.Expr})
	}
	return out, nil
}

// Mapping is each recorded role's series name, by role.
func Mapping(rules []Rule) map[string]string {
	m := make(map[string]string, len(rules))
	for _, r := range rules {
		m[r.Role] = r.Record
	}
	return m
}

var exprParser = parser.NewParser(parser.Options{EnableExperimentalFunctions: true})

// recordedName names expr, which fills role, by Prometheus's convention
// level:metric:operations; ok is false when the expression is not worth
// recording or its name cannot be told from it.
func recordedName(role, expr string) (string, bool) {
	e, err := exprParser.ParseExpr(expr)
	if err != nil {
		return "", false
	}
	rng, fn, err := window(e)
	if err != nil || rng == 0 {
		return "", false
	}
	labels, ok := outputLabels(e)
	if !ok || len(labels) == 0 {
		return "", false
	}
	metric := metricPart(role, e)
	if metric == "" {
		return "", false
	}
	op := operation(role, fn) + config.FormatDuration(rng)
	return strings.Join(labels, "_") + ":" + metric + ":" + op, true
}

var errNotRecordable = errors.New("not recordable")

// window is the one range every range selector of e reads and the function
// applied to the first; 0 when e reads no range. Offsets, @, subqueries,
// time() and unequal ranges make e not recordable: a recorded series'
// name would not say what it holds, or its value would depend on when the
// rule ran.
func window(e parser.Expr) (time.Duration, string, error) {
	var rng time.Duration
	var fn string
	err := parser.Walk(visitor(func(node parser.Node, path []parser.Node) error {
		switch n := node.(type) {
		case *parser.SubqueryExpr:
			return errNotRecordable
		case *parser.VectorSelector:
			if n.OriginalOffset != 0 || n.OriginalOffsetExpr != nil || n.Timestamp != nil || n.StartOrEnd != 0 {
				return errNotRecordable
			}
		case *parser.Call:
			if n.Func.Name == "time" {
				return errNotRecordable
			}
		case *parser.MatrixSelector:
			switch {
			case n.RangeExpr != nil:
				return errNotRecordable
			case rng == 0:
				rng = n.Range
				if len(path) > 0 {
					if c, ok := path[len(path)-1].(*parser.Call); ok {
						fn = c.Func.Name
					}
				}
			case n.Range != rng:
				return errNotRecordable
			}
		}
		return nil
	}), e, nil)
	return rng, fn, err
}

// visitor walks an AST with one function, stopping at its first error.
type visitor func(parser.Node, []parser.Node) error

func (v visitor) Visit(node parser.Node, path []parser.Node) (parser.Visitor, error) {
	if node == nil {
		return nil, nil
	}
	if err := v(node, path); err != nil {
		return nil, err
	}
	return v, nil
}

// outputLabels are the labels e's answer carries, in the order its
// aggregations name them; ok is false when e does not aggregate to a
// known set of labels (a bare selector, `without`).
func outputLabels(e parser.Expr) ([]string, bool) {
	switch n := e.(type) {
	case *parser.ParenExpr:
		return outputLabels(n.Expr)
	case *parser.StepInvariantExpr:
		return outputLabels(n.Expr)
	case *parser.NumberLiteral, *parser.StringLiteral:
		return nil, true
	case *parser.AggregateExpr:
		if n.Without {
			return nil, false
		}
		return slices.Clone(n.Grouping), true
	case *parser.UnaryExpr:
		return outputLabels(n.Expr)
	case *parser.Call:
		return callLabels(n)
	case *parser.BinaryExpr:
		return binaryLabels(n)
	}
	return nil, false
}

func callLabels(n *parser.Call) ([]string, bool) {
	var vec parser.Expr
	for i, a := range n.Args {
		if a.Type() == parser.ValueTypeVector || a.Type() == parser.ValueTypeMatrix {
			vec = n.Args[i]
			break
		}
	}
	if vec == nil {
		return nil, true
	}
	labels, ok := outputLabels(vec)
	if !ok {
		return nil, false
	}
	switch n.Func.Name {
	case "histogram_quantile", "histogram_fraction":
		return slices.DeleteFunc(labels, func(l string) bool { return l == "le" }), true
	case "label_replace":
		if dst, ok := n.Args[1].(*parser.StringLiteral); ok && !slices.Contains(labels, dst.Val) {
			labels = append(labels, dst.Val)
		}
	}
	return labels, true
}

func binaryLabels(n *parser.BinaryExpr) ([]string, bool) {
	l, lok := outputLabels(n.LHS)
	r, rok := outputLabels(n.RHS)
	if !lok || !rok {
		return nil, false
	}
	if n.Op == parser.LOR {
		for _, x := range r {
			if !slices.Contains(l, x) {
				l = append(l, x)
			}
		}
		return l, true
	}
	if n.LHS.Type() != parser.ValueTypeVector {
		return r, true
	}
	if n.VectorMatching != nil && n.VectorMatching.Card == parser.CardOneToMany {
		return r, true // group_right keeps the right side's labels
	}
	return l, true
}

// operation is the convention's operations part for role, before the
// window: rate for a request rate, ratio_rate for a ratio of rates, mean
// for a mean of a histogram's sum and count, p95_rate for a quantile.
func operation(role, fn string) string {
	switch {
	case role == "error_ratio":
		return "ratio_" + fn
	case role == "latency_mean":
		return "mean"
	case role == "profile":
		// 1 for each version's answering profile: which, not how much.
		return "group_" + fn
	case strings.HasSuffix(role, "_p50"), strings.HasSuffix(role, "_p95"), strings.HasSuffix(role, "_p99"):
		return role[len(role)-3:] + "_" + fn
	}
	return fn
}

// metricPart names what is measured: the metrics read, without the
// suffixes the operation already says (_total of a counter; _bucket,
// _sum and _count of a histogram that is summarised), a ratio as
// "numerator_per_denominator".
func metricPart(role string, e parser.Expr) string {
	summarised := role == "latency_mean" || strings.Contains(role, "_p")
	if d := division(e); d != nil {
		num, den := metricNames(d.LHS, summarised), metricNames(d.RHS, summarised)
		num = slices.DeleteFunc(num, func(m string) bool { return slices.Contains(den, m) && len(num) > 1 })
		if slices.Equal(num, den) {
			return strings.Join(num, "_and_")
		}
		if len(num) > 0 && len(den) > 0 {
			return strings.Join(num, "_and_") + "_per_" + strings.Join(den, "_and_")
		}
	}
	return strings.Join(metricNames(e, summarised), "_and_")
}

// division is e's outermost division of two series, looking through
// parentheses and scaling by a number (a unit change such as / 1e6).
func division(e parser.Expr) *parser.BinaryExpr {
	for {
		switch n := e.(type) {
		case *parser.ParenExpr:
			e = n.Expr
			continue
		case *parser.BinaryExpr:
			_, lnum := n.LHS.(*parser.NumberLiteral)
			_, rnum := n.RHS.(*parser.NumberLiteral)
			switch {
			case rnum:
				e = n.LHS
				continue
			case lnum:
				e = n.RHS
				continue
			case n.Op == parser.DIV:
				return n
			}
		}
		return nil
	}
}

// metricNames are the distinct metric names e selects, in order, without
// the suffixes the operation says.
func metricNames(e parser.Expr, summarised bool) []string {
	var out []string
	parser.Inspect(e, func(node parser.Node, _ []parser.Node) error {
		vs, ok := node.(*parser.VectorSelector)
		if !ok || vs.Name == "" {
			return nil
		}
		name := strings.TrimSuffix(vs.Name, "_total")
		if summarised {
			for _, s := range []string{"_bucket", "_sum", "_count"} {
				name = strings.TrimSuffix(name, s)
			}
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
		return nil
	})
	return out
}
