// Package narrow restricts a configured PromQL query to one model, or one
// model version, by adding label matchers to its series selectors: on the
// exporter's label the query copies model (or version) from.
package narrow

import (
	"errors"
	"fmt"
	"sort"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// Experimental functions are accepted, as the config accepts them.
var promqlParser = parser.NewParser(parser.Options{EnableExperimentalFunctions: true})

// ToModel narrows expr to one model: every series selector keeps the
// series whose model label, once the query has copied it (from kserve's
// model_name, ...), is name.
func ToModel(expr, name string) (string, error) {
	return Query(expr, map[string]string{"model": name})
}

// Query narrows every series selector of expr to the series whose labels,
// at the query's root, hold the given values. The matcher goes on the
// selector's label that each one is copied from (see Source); a label the
// query sets otherwise is an error rather than a query that matches
// nothing. The matchers are built as values, not pasted into the text, so
// a value with quotes or backslashes cannot change the query.
func Query(expr string, equal map[string]string) (string, error) {
	e, err := promqlParser.ParseExpr(expr)
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(equal))
	for k := range equal {
		names = append(names, k)
	}
	sort.Strings(names)
	found := false
	var failed error
	parser.Inspect(e, func(n parser.Node, path []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok || failed != nil {
			return nil
		}
		found = true
		for _, k := range names {
			m, err := matcher(path, k, equal[k])
			if err != nil {
				failed = fmt.Errorf("narrowing %s to %s %q: %w", vs, k, equal[k], err)
				return nil
			}
			vs.LabelMatchers = append(vs.LabelMatchers, m)
		}
		return nil
	})
	switch {
	case failed != nil:
		return "", failed
	case !found:
		return "", errors.New("no series selector to narrow")
	}
	return e.String(), nil
}

// Matchers adds ms to every series selector of expr; an expression
// without one is an error, as there is nothing to narrow.
func Matchers(expr string, ms ...*labels.Matcher) (string, error) {
	e, err := promqlParser.ParseExpr(expr)
	if err != nil {
		return "", err
	}
	return with(e, ms)
}

func with(e parser.Expr, ms []*labels.Matcher) (string, error) {
	found := false
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			vs.LabelMatchers = append(vs.LabelMatchers, ms...)
			found = true
		}
		return nil
	})
	if !found {
		return "", errors.New("no series selector to narrow")
	}
	return e.String(), nil
}
