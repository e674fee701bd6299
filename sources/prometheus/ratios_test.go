package prometheus

import "testing"

func TestParseRatio(t *testing.T) {
	const reqs = `sum by (model, version) (rate(model_predictions_total[1m]))`
	for expr, want := range map[string]bool{
		`sum by (model, version) (rate(model_prediction_errors_total[1m])) / ` + reqs: true,
		`sum by (version, model) (rate(errs[1m])) / ` + reqs:                          true,
		`sum by (model) (rate(errs[1m])) / ` + reqs:                                   false, // not one to one
		`sum without (pod) (rate(errs[1m])) / sum without (pod) (rate(reqs[1m]))`:     false,
		`sum by (model, version) (rate(errs[1m])) / on (model) ` + reqs:               false,
		`sum by (model, version) (rate(errs[1m])) / bool ` + reqs:                     false,
		`sum by (model, version) (rate(errs[1m])) * ` + reqs:                          false,
		`rate(errs[1m]) / rate(reqs[1m])`:                                             false,
		`sum(rate(errs[1m])) / sum(rate(reqs[1m]))`:                                   false, // no labels to match on
		`sum by (mltop_ratio_part) (errs) / sum by (mltop_ratio_part) (reqs)`:         false,
		`topk by (model) (1, errs) / topk by (model) (1, reqs)`:                       false, // keeps names, several per group
		`sum by (__name__, model) (errs) / sum by (__name__, model) (reqs)`:           false,
		reqs:           false,
		`not promql (`: false,
	} {
		re := parseRatio(expr)
		if re.ok != want {
			t.Errorf("%s: ratio %v, want %v", expr, re.ok, want)
		}
		if re.ok && re.den != reqs {
			t.Errorf("%s: denominator %q", expr, re.den)
		}
	}
}
