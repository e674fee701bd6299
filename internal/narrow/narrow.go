// Package narrow restricts a configured PromQL query to one model, or one
// model version, by adding label matchers to its series selectors: on the
// exporter's label the query copies model (or version) from.
package narrow

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

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
	return each(e, func(path []parser.Node) ([]*labels.Matcher, error) {
		ms := make([]*labels.Matcher, 0, len(names))
		for _, k := range names {
			m, err := matcher(path, k, equal[k])
			if err != nil {
				return nil, fmt.Errorf("to %s %q: %w", k, equal[k], err)
			}
			ms = append(ms, m)
		}
		return ms, nil
	})
}

// ToModels narrows expr to any of several models (a registered name and
// the serving names mapped onto it), on the label model is copied from as
// ToModel does.
func ToModels(expr string, names []string) (string, error) {
	e, err := promqlParser.ParseExpr(expr)
	if err != nil {
		return "", err
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	sort.Strings(quoted)
	return each(e, func(path []parser.Node) ([]*labels.Matcher, error) {
		label, err := Source(path, "model")
		if err != nil {
			return nil, fmt.Errorf("to models %s: %w", strings.Join(names, ", "), err)
		}
		m, err := labels.NewMatcher(labels.MatchRegexp, label, strings.Join(quoted, "|"))
		return []*labels.Matcher{m}, err
	})
}

// each adds the matchers ms gives for each series selector of e, from
// the path down to it; the first error stops it.
func each(e parser.Expr, ms func(path []parser.Node) ([]*labels.Matcher, error)) (string, error) {
	found := false
	var failed error
	parser.Inspect(e, func(n parser.Node, path []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok || failed != nil {
			return nil
		}
		found = true
		add, err := ms(path)
		if err != nil {
			failed = fmt.Errorf("narrowing %s %w", vs, err)
			return nil
		}
		vs.LabelMatchers = append(vs.LabelMatchers, add...)
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

// Matchers adds ms to every series selector of expr as they are, for
// labels no query rewrites; an expression without one is an error, as
// there is nothing to narrow.
func Matchers(expr string, ms ...*labels.Matcher) (string, error) {
	e, err := promqlParser.ParseExpr(expr)
	if err != nil {
		return "", err
	}
	return each(e, func([]parser.Node) ([]*labels.Matcher, error) { return ms, nil })
}
