package grafana

import (
	"strings"
	"testing"
)

// The matcher goes on the exporter's label the model comes from, and a
// model label no single exporter label gives is refused.
func TestForModels(t *testing.T) {
	ok := map[string]string{
		`sum by (model) (rate(a_total[1m]))`: `sum by (model) (rate(a_total{model=~"$model"}[1m]))`,
		`sum by (model, version) (label_replace(label_replace(rate(b_total[1m]), "model", "$1", "model_name", "(.*)"), "version", "$1", "model_version", "(.*)"))`: `sum by (model, version) (label_replace(label_replace(rate(b_total{model_name=~"$model"}[1m]), "model", "$1", "model_name", "(.*)"), "version", "$1", "model_version", "(.*)"))`,
		// Inside, the copy is from workload; the other operand keeps model.
		`label_replace(w{x="1"}, "model", "$1", "workload", "(.*)") / on (model) m`: `label_replace(w{workload=~"$model",x="1"}, "model", "$1", "workload", "(.*)") / on (model) m{model=~"$model"}`,
		`time() - max by (model) (ts)`:                                              `time() - max by (model) (ts{model=~"$model"})`,
	}
	for in, want := range ok {
		got, err := ForModels(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if reprint(t, got) != reprint(t, want) {
			t.Errorf("%s:\n got %s\nwant %s", in, got, want)
		}
	}
	for _, in := range []string{
		`label_replace(a, "model", "fixed", "", "")`,
		`label_replace(a, "model", "$1", "name", "(.*)-canary")`,
		`label_replace(a, "model", "", "model", "none")`,
		`label_join(a, "model", "/", "ns", "name")`,
		`vector(1)`,
		`sum(`,
	} {
		if got, err := ForModels(in); err == nil {
			t.Errorf("%s narrowed to %s", in, got)
		}
	}
}

func reprint(t *testing.T, s string) string {
	t.Helper()
	e, err := promqlParser.ParseExpr(s)
	if err != nil {
		t.Fatal(err)
	}
	return e.String()
}

// The model variable lists the label the panels narrow on; profiles
// taking the model from different labels list the request rate's own.
func TestModelQuery(t *testing.T) {
	for in, want := range map[string]string{
		`sum by (model) (rate(a_total[1m]))`:                                                                                                          `label_values(a_total, model)`,
		`sum by (model) (label_replace(rate(b_total[1m]), "model", "$1", "model_name", "(.*)"))`:                                                      `label_values(b_total, model_name)`,
		`(sum by (model) (rate(a_total[1m]))) or on (model) (sum by (model) (rate(c_total[1m])))`:                                                     `label_values({__name__=~"a_total|c_total"}, model)`,
		`(sum by (model) (rate(a_total[1m]))) or on (model) (sum by (model) (label_replace(rate(b_total[1m]), "model", "$1", "model_name", "(.*)")))`: `query_result(group by (model) (`,
	} {
		got, regex, err := modelQuery(in)
		if err != nil || !strings.HasPrefix(got, want) || (regex != "") != strings.HasPrefix(want, "query_result") {
			t.Errorf("%s: %q %q %v, want %q", in, got, regex, err, want)
		}
	}
	if _, _, err := modelQuery(""); err == nil {
		t.Error("no request rate gave a model variable")
	}
}
