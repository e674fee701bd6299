// Package grafana builds a Grafana dashboard from the config's role
// queries, so that a team reading Grafana sees the numbers mltop shows:
// each panel sends the query mltop sends for its role, narrowed to the
// dashboard's selected models.
package grafana

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/mltop/mltop/internal/config"
)

// SchemaVersion is the dashboard schema of Grafana 10.4 and 11, which
// later versions migrate on import.
const SchemaVersion = 39

// ModelVar is the template variable holding the selected models, as a
// regular expression (every model: ".*").
const ModelVar = "model"

// Experimental functions are accepted, as the config accepts them.
var promqlParser = parser.NewParser(parser.Options{EnableExperimentalFunctions: true})

// Options are what the command line sets.
type Options struct {
	Title string
	// Datasource is a Prometheus data source's UID; "" adds a data source
	// variable instead, chosen on import.
	Datasource string
	// Profiles says where the queries come from (written, detected or
	// the default), for the description.
	Profiles string
}

// panelSpec is one panel: the roles it graphs, in order, and how.
type panelSpec struct {
	title, unit, legend, help string
	roles                     []string
}

// panels are the roles a graph shows as mltop shows them. A role the
// config does not fill leaves its panel out.
var panels = []panelSpec{
	{title: "Request rate", unit: "reqps", legend: "{{model}} {{version}}", roles: []string{"request_rate"},
		help: "predictions per second (role request_rate)"},
	{title: "Error ratio", unit: "percentunit", legend: "{{model}} {{version}}", roles: []string{"error_ratio"},
		help: "failed share of predictions (role error_ratio)"},
	{title: "Latency", unit: "s", legend: "{{model}} {{version}}", roles: []string{"latency_p50", "latency_p95", "latency_p99", "latency_mean"},
		help: "p50, p95, p99 and mean prediction latency (roles latency_p50, latency_p95, latency_p99, latency_mean)"},
	{title: "Quality", unit: "none", legend: "{{model}} {{version}} {{metric}}", roles: []string{"performance"},
		help: "live quality per metric (role performance)"},
	{title: "Labelled fraction", unit: "percentunit", legend: "{{model}} {{version}}", roles: []string{"labeled_fraction"},
		help: "share of predictions with a ground-truth label (role labeled_fraction)"},
	{title: "Label age", unit: "s", legend: "{{model}} {{version}}", roles: []string{"label_age"},
		help: "time since the newest label arrived (role label_age)"},
	{title: "Label delay", unit: "s", legend: "{{model}} {{version}}", roles: []string{"label_delay_p50", "label_delay_p95"},
		help: "p50 and p95 of the time from prediction to label (roles label_delay_p50, label_delay_p95)"},
	{title: "Traffic weight", unit: "percent", legend: "{{model}} {{version}} {{track}}", roles: []string{"traffic_weight"},
		help: "share of traffic per version (role traffic_weight)"},
	{title: "Drift score", unit: "none", legend: "{{model}} {{version}} {{feature}} {{method}}", roles: []string{"drift_score"},
		help: "exported drift scores per feature (role drift_score)"},
}

// clientSide are roles whose answer mltop computes on: no PromQL
// expression gives its number, so they are named, not graphed.
var clientSide = []struct {
	roles []string
	what  string
}{
	{[]string{"feature_buckets", "feature_buckets_reference", "feature_categories", "feature_categories_reference", "feature_missing", "feature_missing_reference"},
		"drift and data quality from feature histograms (PSI, KS, ... against a reference)"},
	{[]string{"score_calibration", "performance_estimate"}, "quality estimated without labels"},
	{[]string{"verdict_counts", "verdict_latency"}, "candidate-versus-stable verdicts"},
}

// Build returns the dashboard for qs, the config's rendered role
// queries (config.Config.Queries).
func Build(qs []config.Query, opts Options) (*Dashboard, error) {
	byRole := make(map[string]string, len(qs))
	for _, q := range qs {
		byRole[q.Role] = q.Expr
	}
	ds := Datasource{Type: "prometheus", UID: "${datasource}"}
	var vars []Variable
	if opts.Datasource != "" {
		ds.UID = opts.Datasource
	} else {
		vars = append(vars, Variable{Name: "datasource", Label: "Data source", Type: "datasource", Query: "prometheus"})
	}
	models, regex, err := modelQuery(byRole["request_rate"])
	if err != nil {
		return nil, fmt.Errorf("the model variable: %w", err)
	}
	vars = append(vars, Variable{Name: ModelVar, Label: "Model", Type: "query", Datasource: &ds, Query: models,
		Definition: models, Regex: regex, Refresh: 2, Sort: 1, Multi: true, IncludeAll: true, AllValue: ".*",
		Current: &Current{Text: []string{"All"}, Value: []string{"$__all"}}})

	d := &Dashboard{Title: opts.Title, SchemaVersion: SchemaVersion, Editable: true,
		Tags: []string{"mltop"}, Time: TimeRange{From: "now-6h", To: "now"}, Refresh: "30s",
		Templating: Templating{List: vars}}
	var missing []string
	for _, p := range panels {
		var targets []Target
		for _, role := range p.roles {
			expr, ok := byRole[role]
			if !ok {
				missing = append(missing, role)
				continue
			}
			narrowed, err := ForModels(expr)
			if err != nil {
				return nil, fmt.Errorf("panel %s, role %s: %w", p.title, role, err)
			}
			targets = append(targets, Target{RefID: role, Expr: narrowed, LegendFormat: legend(p, role),
				Datasource: ds, Range: true})
		}
		if len(targets) == 0 {
			continue
		}
		n := len(d.Panels)
		d.Panels = append(d.Panels, Panel{ID: n + 1, Type: "timeseries", Title: p.title, Description: p.help,
			Datasource: ds, Targets: targets,
			GridPos:     GridPos{H: 8, W: 12, X: 12 * (n % 2), Y: 8 * (n / 2)},
			FieldConfig: FieldConfig{Defaults: FieldDefaults{Unit: p.unit}, Overrides: []any{}}})
	}
	d.Description = description(opts.Profiles, byRole, missing)
	return d, nil
}

// legend names the series; a panel of several roles adds the role.
func legend(p panelSpec, role string) string {
	if len(p.roles) == 1 {
		return p.legend
	}
	return p.legend + " " + role
}

// description says where the queries come from and what is not here.
func description(profiles string, byRole map[string]string, missing []string) string {
	var b strings.Builder
	b.WriteString("The queries mltop sends")
	if profiles != "" {
		b.WriteString(" (" + profiles + ")")
	}
	b.WriteString(", narrowed to $model.")
	if len(missing) > 0 {
		b.WriteString(" No query for these roles in the config, so not graphed: " + strings.Join(missing, ", ") + ".")
	}
	var computed []string
	for _, c := range clientSide {
		if slices.ContainsFunc(c.roles, func(r string) bool { _, ok := byRole[r]; return ok }) {
			computed = append(computed, c.what)
		}
	}
	if len(computed) > 0 {
		b.WriteString(" Computed by mltop from these series, not panels here: " + strings.Join(computed, "; ") + ".")
	}
	return b.String()
}
