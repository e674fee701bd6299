package narrow

import (
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// TestToModelQuotesTheName: a model name with quotes and backslashes
// becomes one exact matcher on every selector, never PromQL syntax.
func TestToModelQuotesTheName(t *testing.T) {
	name := `we"ird\name} or vector(1) #`
	expr := `sum by (model, version, feature, le) (increase(model_feature_value_bucket[1h]) or label_replace(increase(model_prediction_value_bucket[1h] offset 7d), "feature", "__prediction__", "", ""))`
	out, err := ToModel(expr, name)
	if err != nil {
		t.Fatal(err)
	}
	e, err := parser.NewParser(parser.Options{}).ParseExpr(out)
	if err != nil {
		t.Fatalf("narrowed query %s does not parse: %v", out, err)
	}
	selectors := 0
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		selectors++
		found := false
		for _, m := range vs.LabelMatchers {
			if m.Name == "model" {
				found = m.Value == name && m.Type == labels.MatchEqual
			}
		}
		if !found {
			t.Errorf("selector %s lacks model=%q", vs, name)
		}
		return nil
	})
	if selectors != 2 {
		t.Errorf("%d selectors in %s", selectors, out)
	}
	if _, err := ToModel("vector(1)", "m"); err == nil {
		t.Error("a query without selectors was narrowed")
	}
}
