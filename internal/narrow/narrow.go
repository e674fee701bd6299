// Package narrow restricts a configured PromQL query to one model, or one
// model version, by adding label matchers to its series selectors.
package narrow

import (
	"errors"
	"sort"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// Experimental functions are accepted, as the config accepts them.
var promqlParser = parser.NewParser(parser.Options{EnableExperimentalFunctions: true})

// ToModel narrows expr to one model by adding model="NAME" to every
// series selector.
func ToModel(expr, name string) (string, error) {
	return Query(expr, map[string]string{"model": name})
}

// Query adds an equality matcher per label to every series selector of
// expr. The matchers are built as values, not pasted into the text, so a
// value with quotes or backslashes cannot change the query.
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
	ms := make([]*labels.Matcher, 0, len(names))
	for _, k := range names {
		m, err := labels.NewMatcher(labels.MatchEqual, k, equal[k])
		if err != nil {
			return "", err
		}
		ms = append(ms, m)
	}
	return with(e, ms)
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
