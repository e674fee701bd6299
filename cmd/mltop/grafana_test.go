package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/mltop/mltop/internal/config"
)

// grafanaDoc is what Grafana needs of a dashboard to show these panels,
// read independently of the types that wrote it.
type grafanaDoc struct {
	Title         string `json:"title"`
	Description   string `json:"description"`
	SchemaVersion int    `json:"schemaVersion"`
	Templating    struct {
		List []struct {
			Name       string `json:"name"`
			Type       string `json:"type"`
			Query      string `json:"query"`
			Datasource *struct {
				Type string `json:"type"`
				UID  string `json:"uid"`
			} `json:"datasource"`
			Multi      bool   `json:"multi"`
			IncludeAll bool   `json:"includeAll"`
			AllValue   string `json:"allValue"`
			Regex      string `json:"regex"`
		} `json:"list"`
	} `json:"templating"`
	Panels []struct {
		ID         int    `json:"id"`
		Type       string `json:"type"`
		Title      string `json:"title"`
		Datasource struct {
			Type string `json:"type"`
			UID  string `json:"uid"`
		} `json:"datasource"`
		GridPos struct {
			H, W, X, Y int
		} `json:"gridPos"`
		FieldConfig struct {
			Defaults struct {
				Unit string `json:"unit"`
			} `json:"defaults"`
		} `json:"fieldConfig"`
		Targets []struct {
			RefID      string `json:"refId"`
			Expr       string `json:"expr"`
			Datasource struct {
				Type string `json:"type"`
				UID  string `json:"uid"`
			} `json:"datasource"`
		} `json:"targets"`
	} `json:"panels"`
}

func runGrafana(t *testing.T, args ...string) grafanaDoc {
	t.Helper()
	var out, errb strings.Builder
	if code := run(append([]string{"grafana", "--log-file", "-"}, args...), &out, &errb); code != exitOK {
		t.Fatalf("grafana exit %d: %s", code, errb.String())
	}
	var d grafanaDoc
	if err := json.Unmarshal([]byte(out.String()), &d); err != nil {
		t.Fatalf("dashboard JSON: %v\n%s", err, out.String())
	}
	return d
}

var testParser = parser.NewParser(parser.Options{EnableExperimentalFunctions: true})

// withoutModelMatcher parses a panel's query, checks that every series
// selector carries one matcher for the selected models (=~"$model", on
// the label that becomes model: model, or the one a profile copies it
// from), and returns the query printed without it.
func withoutModelMatcher(t *testing.T, expr string) string {
	t.Helper()
	e, err := testParser.ParseExpr(expr)
	if err != nil {
		t.Fatalf("panel query %s does not parse: %v", expr, err)
	}
	selectors := 0
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		selectors++
		n0 := len(vs.LabelMatchers)
		vs.LabelMatchers = slices.DeleteFunc(vs.LabelMatchers, func(m *labels.Matcher) bool {
			return m.Type == labels.MatchRegexp && m.Value == "$model"
		})
		if n0-len(vs.LabelMatchers) != 1 {
			t.Errorf("selector %s of %s: %d =~\"$model\" matchers, want 1", vs, expr, n0-len(vs.LabelMatchers))
		}
		return nil
	})
	if selectors == 0 {
		t.Errorf("panel query %s has no series selector", expr)
	}
	return e.String()
}

// reprinted is a configured query as the parser prints it.
func reprinted(t *testing.T, expr string) string {
	t.Helper()
	e, err := testParser.ParseExpr(expr)
	if err != nil {
		t.Fatalf("configured query %s does not parse: %v", expr, err)
	}
	return e.String()
}

// graphedRoles are the roles a panel shows (see internal/grafana).
var graphedRoles = []string{"request_rate", "error_ratio", "latency_p50", "latency_p95", "latency_p99", "latency_mean",
	"performance", "labeled_fraction", "label_age", "label_delay_p50", "label_delay_p95", "traffic_weight", "drift_score"}

// checkDashboard checks d against the config's rendered queries: every
// graphed role the config fills is one panel target sending its query
// with only the model matcher added, and nothing else is graphed.
func checkDashboard(t *testing.T, d grafanaDoc, qs []config.Query, datasourceUID string) {
	t.Helper()
	if d.SchemaVersion < 39 {
		t.Errorf("schemaVersion %d, want a current Grafana's (39+)", d.SchemaVersion)
	}
	want := map[string]string{}
	for _, q := range qs {
		if slices.Contains(graphedRoles, q.Role) {
			want[q.Role] = q.Expr
		}
	}
	wantUID := datasourceUID
	var dsVar, modelVar bool
	for _, v := range d.Templating.List {
		switch v.Name {
		case "datasource":
			dsVar = true
			if v.Type != "datasource" || v.Query != "prometheus" {
				t.Errorf("datasource variable %+v, want a prometheus datasource variable", v)
			}
		case "model":
			modelVar = true
			if v.Type != "query" || !v.Multi || !v.IncludeAll || v.AllValue != ".*" {
				t.Errorf("model variable %+v, want a multi-value query variable whose All is .*", v)
			}
			checkModelQuery(t, v.Query, v.Regex, want["request_rate"], panelExpr(d, "request_rate"))
			if v.Datasource == nil || v.Datasource.Type != "prometheus" || v.Datasource.UID != cmpOr(wantUID, "${datasource}") {
				t.Errorf("model variable's datasource %+v", v.Datasource)
			}
		}
	}
	if dsVar != (datasourceUID == "") {
		t.Errorf("datasource variable present %v with --datasource %q", dsVar, datasourceUID)
	}
	if !modelVar {
		t.Error("no model variable")
	}
	seen := map[string]bool{}
	for i, p := range d.Panels {
		if p.Type != "timeseries" || p.FieldConfig.Defaults.Unit == "" || p.ID != i+1 || p.GridPos.W == 0 || p.GridPos.H == 0 {
			t.Errorf("panel %d %q: type %s unit %q id %d grid %+v", i, p.Title, p.Type, p.FieldConfig.Defaults.Unit, p.ID, p.GridPos)
		}
		if p.Datasource.Type != "prometheus" || p.Datasource.UID != cmpOr(wantUID, "${datasource}") {
			t.Errorf("panel %q datasource %+v", p.Title, p.Datasource)
		}
		for _, tg := range p.Targets {
			if tg.Datasource != p.Datasource {
				t.Errorf("panel %q target %s datasource %+v", p.Title, tg.RefID, tg.Datasource)
			}
			expr, ok := want[tg.RefID]
			if !ok {
				t.Errorf("panel %q graphs role %q, which the config does not fill", p.Title, tg.RefID)
				continue
			}
			if seen[tg.RefID] {
				t.Errorf("role %s graphed twice", tg.RefID)
			}
			seen[tg.RefID] = true
			if got, want := withoutModelMatcher(t, tg.Expr), reprinted(t, expr); got != want {
				t.Errorf("panel %q role %s sends\n  %s\nwithout the model matcher, the config's query is\n  %s", p.Title, tg.RefID, got, want)
			}
		}
	}
	for role := range want {
		if !seen[role] {
			t.Errorf("role %s is configured but not graphed", role)
		}
	}
}

// checkModelQuery: the model variable lists the request rate's models,
// with label_values of its metrics, or, when profiles take the model from
// different labels, from the request rate query's own model label.
func checkModelQuery(t *testing.T, query, regex, requestRate, panelRequestRate string) {
	t.Helper()
	if inner, ok := strings.CutPrefix(query, "query_result(group by (model) ("); ok {
		inner = strings.TrimSuffix(inner, "))")
		if reprinted(t, inner) != reprinted(t, requestRate) || regex != `/model="([^"]*)"/` {
			t.Errorf("model variable %q regex %q, want the request rate's models", query, regex)
		}
		return
	}
	sel, ok := strings.CutPrefix(query, "label_values(")
	i := strings.LastIndex(sel, ", ")
	if !ok || i < 0 || !strings.HasSuffix(sel, ")") {
		t.Fatalf("model variable query %q, want label_values(<request rate metric>, <label>)", query)
	}
	sel, label := sel[:i], strings.TrimSuffix(sel[i+2:], ")")
	if _, err := testParser.ParseExpr(sel); err != nil {
		t.Errorf("model variable's selector %q does not parse: %v", sel, err)
	}
	e, err := testParser.ParseExpr(requestRate)
	if err != nil {
		t.Fatal(err)
	}
	for _, vs := range parser.ExtractSelectors(e) {
		for _, m := range vs {
			if m.Name == model.MetricNameLabel && !strings.Contains(sel, m.Value) {
				t.Errorf("model variable %q lacks the request rate's metric %s", query, m.Value)
			}
		}
	}
	// The label listed is the one the request rate panel narrows on.
	pe, err := testParser.ParseExpr(panelRequestRate)
	if err != nil {
		t.Fatal(err)
	}
	for _, vs := range parser.ExtractSelectors(pe) {
		if !slices.ContainsFunc(vs, func(m *labels.Matcher) bool { return m.Name == label && m.Value == "$model" }) {
			t.Errorf("model variable lists label %q; the request rate panel narrows %v", label, vs)
		}
	}
}

// panelExpr is the panel query sending role.
func panelExpr(d grafanaDoc, role string) string {
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			if tg.RefID == role {
				return tg.Expr
			}
		}
	}
	return ""
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func configQueries(t *testing.T, path string) []config.Query {
	t.Helper()
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := cfg.Queries()
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// The dashboard sends the config's own queries, as rendered for each
// profile, for combined profiles, and with a prometheus.queries override
// and a role turned off.
func TestGrafanaPanelsSendTheConfiguredQueries(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"mltop":              "window: 2m\nprometheus:\n  profile: mltop\n",
		"union":              "prometheus:\n  profile: [mltop, mlserver]\n",
		"kserve":             "prometheus:\n  profile: kserve\n",
		"triton":             "prometheus:\n  profile: triton\n",
		"torchserve+bentoml": "prometheus:\n  profile: [torchserve, bentoml, flagger]\n",
		"mltop+kserve":       "prometheus:\n  profile: [mltop, kserve]\n",
		"override":           "prometheus:\n  profile: mltop\n  queries:\n    error_ratio: 'sum by (model, version) (rate(my_failures_total[{{window}}])) / on (model, version) sum by (model, version) (rate(my_calls_total{code!~\"4..\"}[{{window}}]))'\n    drift_score: ''\n",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := writeConfig(t, body)
			qs := configQueries(t, path)
			checkDashboard(t, runGrafana(t, "--config", path), qs, "")
			d := runGrafana(t, "--config", path, "--datasource", "P1809F7CD0C75ACF3", "--title", "Fraud team")
			checkDashboard(t, d, qs, "P1809F7CD0C75ACF3")
			if d.Title != "Fraud team" {
				t.Errorf("title %q", d.Title)
			}
		})
	}
}

// The description names the profiles and what mltop computes that no
// panel shows, and the roles the profile lacks.
func TestGrafanaDescription(t *testing.T) {
	t.Parallel()
	d := runGrafana(t, "--config", writeConfig(t, "prometheus:\n  profile: kserve\n"))
	for _, want := range []string{"profile kserve, as configured", "error_ratio", "not graphed"} {
		if !strings.Contains(d.Description, want) {
			t.Errorf("description %q lacks %q", d.Description, want)
		}
	}
	d = runGrafana(t, "--config", writeConfig(t, "prometheus:\n  profile: mltop\n"))
	for _, want := range []string{"feature histograms", "without labels"} {
		if !strings.Contains(d.Description, want) {
			t.Errorf("description %q lacks %q", d.Description, want)
		}
	}
	for _, p := range d.Panels {
		if p.Title == "Request rate" {
			return
		}
	}
	t.Error("no request rate panel")
}

// Bad usage is exit 2 with the reason.
func TestGrafanaBadUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"extra"}, {"--title", " "}, {"--nope"}} {
		var out, errb strings.Builder
		if code := run(append([]string{"grafana", "--log-file", "-"}, args...), &out, &errb); code != exitFailure || errb.Len() == 0 || out.Len() != 0 {
			t.Errorf("grafana %v: exit %d, stdout %q, stderr %q", args, code, out.String(), errb.String())
		}
	}
}
