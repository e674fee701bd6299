package grafana

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mltop/mltop/internal/narrow"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// ForModels adds a matcher for the selected models ($model) to every
// series selector of expr, as a parsed matcher printed back, so nothing
// else of the query changes. The matcher is on the exporter's label that
// becomes model: model=~"$model", or, where a profile copies the model's
// name from another label (label_replace(..., "model", "$1", "model_name",
// "(.*)")), model_name=~"$model". A selector whose model no label gives
// as it is (a constant, or a rewritten value) is an error: narrowing it
// on model would select nothing, or everything.
func ForModels(expr string) (string, error) {
	e, err := promqlParser.ParseExpr(expr)
	if err != nil {
		return "", err
	}
	found := false
	var failed error
	parser.Inspect(e, func(n parser.Node, path []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok || failed != nil {
			return nil
		}
		label, err := narrow.Source(path, ModelVar)
		if err != nil {
			failed = fmt.Errorf("%s: %w", vs, err)
			return nil
		}
		vs.LabelMatchers = append(vs.LabelMatchers, labels.MustNewMatcher(labels.MatchRegexp, label, "$"+ModelVar))
		found = true
		return nil
	})
	switch {
	case failed != nil:
		return "", failed
	case !found:
		return "", errors.New("no series selector to narrow to a model")
	}
	return e.String(), nil
}

// modelQuery is the model variable's query: the models the request rate's
// series name, label_values of its metric (or metrics, when profiles
// combine) and the label the model comes from; when combined profiles
// take it from different labels, the model label of the request rate
// itself (query_result, with regex the variable's Regex).
func modelQuery(requestRate string) (query, regex string, err error) {
	if requestRate == "" {
		return "", "", errors.New("the profiles fill no request_rate role to list the models from (a rollout controller's profile needs an exporter's beside it)")
	}
	e, err := promqlParser.ParseExpr(requestRate)
	if err != nil {
		return "", "", err
	}
	var names, from []string
	parser.Inspect(e, func(n parser.Node, path []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		if vs.Name != "" && !slices.Contains(names, vs.Name) {
			names = append(names, vs.Name)
		}
		if label, err := narrow.Source(path, ModelVar); err == nil && !slices.Contains(from, label) {
			from = append(from, label)
		}
		return nil
	})
	if len(names) == 0 || len(from) != 1 {
		return fmt.Sprintf("query_result(group by (%s) (%s))", ModelVar, requestRate), `/` + ModelVar + `="([^"]*)"/`, nil
	}
	if len(names) == 1 {
		return fmt.Sprintf("label_values(%s, %s)", names[0], from[0]), "", nil
	}
	sel := &parser.VectorSelector{LabelMatchers: []*labels.Matcher{
		labels.MustNewMatcher(labels.MatchRegexp, model.MetricNameLabel, strings.Join(names, "|"))}}
	return fmt.Sprintf("label_values(%s, %s)", sel.String(), from[0]), "", nil
}
