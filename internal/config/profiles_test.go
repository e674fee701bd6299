package config_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/promql/parser"
	"go.yaml.in/yaml/v3"

	"github.com/mltop/mltop/internal/config"
)

func queryMap(t *testing.T, c *config.Config) map[string]string {
	t.Helper()
	qs, err := c.Queries()
	if err != nil {
		t.Fatalf("Queries: %v", err)
	}
	m := map[string]string{}
	for _, q := range qs {
		if q.Name != q.Role {
			t.Errorf("query %q fills role %q; a query is named after its role", q.Name, q.Role)
		}
		m[q.Role] = q.Expr
	}
	return m
}

func TestMltopProfileCoversEveryRole(t *testing.T) {
	qs, err := config.DefaultEnv(nil).Queries()
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for _, q := range qs {
		roles = append(roles, q.Role)
		if strings.Contains(q.Expr, "{{") {
			t.Errorf("%s: template left in %q", q.Role, q.Expr)
		}
	}
	// profile says which of several combined profiles answered: one alone
	// has no use for it.
	want := slices.DeleteFunc(config.KnownRoles(), func(r string) bool { return r == "profile" })
	if !slices.Equal(roles, want) {
		t.Errorf("roles %v, want every known role but profile in order %v", roles, want)
	}
}

func TestWindowSubstitution(t *testing.T) {
	for _, tt := range []struct {
		window time.Duration
		want   string
	}{
		{time.Minute, "sum by (model, version) (rate(model_predictions_total[1m]))"},
		{90 * time.Second, "sum by (model, version) (rate(model_predictions_total[1m30s]))"},
		{time.Hour, "sum by (model, version) (rate(model_predictions_total[1h]))"},
	} {
		c := config.DefaultEnv(nil)
		c.Window = tt.window
		if got := queryMap(t, c)["request_rate"]; got != tt.want {
			t.Errorf("window %v: request_rate = %q, want %q", tt.window, got, tt.want)
		}
	}
	c := mustParse(t, "window: 5m", nil)
	want := "histogram_quantile(0.95, sum by (model, version, le) (rate(model_ground_truth_delay_seconds_bucket[5m])))"
	if got := queryMap(t, c)["label_delay_p95"]; got != want {
		t.Errorf("label_delay_p95 = %q, want %q", got, want)
	}
}

func TestOverrides(t *testing.T) {
	c := mustParse(t, `
window: 2m
prometheus:
  queries:
    request_rate: sum by (model, version) (rate(http_requests_total{job="serving"}[{{window}}]))
    drift_score: ""
`, nil)
	got := queryMap(t, c)
	if want := `sum by (model, version) (rate(http_requests_total{job="serving"}[2m]))`; got["request_rate"] != want {
		t.Errorf("request_rate = %q, want %q", got["request_rate"], want)
	}
	if e, ok := got["drift_score"]; ok {
		t.Errorf("an empty override should turn drift_score off, got %q", e)
	}
	if got["error_ratio"] == "" {
		t.Error("roles without an override should keep the profile's query")
	}
}

func TestProfilesCombineInOrder(t *testing.T) {
	restore := config.SetProfileForTest("exporter", []config.Query{
		{Role: "request_rate", Expr: "sum by (model, version) (rate(exporter_requests_total[{{window}}]))"},
		{Role: "latency_p50", Expr: "max by (model, version) (exporter_latency_p50)"},
	})
	defer restore()

	mltopReqs := "sum by (model, version) (rate(model_predictions_total[1m]))"
	exporterReqs := "sum by (model, version) (rate(exporter_requests_total[1m]))"
	later := queryMap(t, mustParse(t, "prometheus: {profile: [mltop, exporter]}", nil))
	if want := "((" + mltopReqs + ") or on (model, version) (" + exporterReqs + "))"; later["request_rate"] != want {
		t.Errorf("the profiles' request rates should combine, mltop's first: request_rate = %q, want %q", later["request_rate"], want)
	}
	if later["drift_score"] == "" {
		t.Error("roles only the earlier profile fills should stay")
	}

	earlier := queryMap(t, mustParse(t, "prometheus: {profile: [exporter, mltop]}", nil))
	if want := "((" + exporterReqs + ") or on (model, version) (" + mltopReqs + "))"; earlier["request_rate"] != want {
		t.Errorf("the profile listed first should come first: request_rate = %q, want %q", earlier["request_rate"], want)
	}

	twice := queryMap(t, mustParse(t, "prometheus: {profile: [mltop, mltop]}", nil))
	if twice["request_rate"] != mltopReqs {
		t.Errorf("a profile listed twice counts once: request_rate = %q", twice["request_rate"])
	}

	replaced := queryMap(t, mustParse(t, "prometheus: {profile: [mltop, exporter], queries: {request_rate: 'vector(1)'}}", nil))
	if replaced["request_rate"] != "vector(1)" {
		t.Errorf("prometheus.queries should replace the combined role, got %q", replaced["request_rate"])
	}

	only := queryMap(t, mustParse(t, "prometheus: {profile: exporter, queries: {latency_p50: 'vector(1)'}}", nil))
	if len(only) != 2 || only["latency_p50"] != "vector(1)" {
		t.Errorf("one profile plus an override: got %v", only)
	}

	if !slices.Contains(config.KnownProfiles(), "exporter") {
		t.Errorf("KnownProfiles() = %v, missing the registered profile", config.KnownProfiles())
	}
}

func TestQueriesOnAHandBuiltConfig(t *testing.T) {
	c := config.DefaultEnv(nil)
	c.Prometheus.Profile = []string{"nope"}
	c.Prometheus.Queries = map[string]string{"error_ratio": "rate(x[5m]"}
	_, err := c.Queries()
	if err == nil {
		t.Fatal("no error for an unknown profile and a broken query")
	}
	for _, want := range []string{`config: prometheus.profile: unknown profile "nope"`, "config: prometheus.queries.error_ratio: invalid PromQL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	c = config.DefaultEnv(nil)
	c.Window = 0
	if _, err := c.Queries(); err == nil || !strings.Contains(err.Error(), "window: must be at least 1ms") {
		t.Errorf("window 0: error %v", err)
	}
}

func TestKnownProfiles(t *testing.T) {
	got := config.KnownProfiles()
	want := []string{"argo-rollouts", "bentoml", "flagger", "kserve", "mlserver", "mltop", "seldon-v2", "torchserve", "triton"}
	if !slices.Equal(got, want) {
		t.Errorf("KnownProfiles() = %v, want %v", got, want)
	}
}

// exporterRoles is what each exporter profile fills, in KnownRoles order. A
// role missing here is one the exporter has no metric for; the profile must
// leave it out rather than guess.
var exporterRoles = map[string][]string{
	"triton":     {"request_rate", "error_ratio", "latency_mean", "requests_last_week", "requests_hour_before", "error_ratio_page", "error_ratio_ticket"},
	"mlserver":   {"request_rate", "error_ratio", "latency_mean", "requests_last_week", "requests_hour_before", "error_ratio_page", "error_ratio_ticket"},
	"seldon-v2":  {"request_rate", "error_ratio", "latency_mean", "requests_last_week", "requests_hour_before", "error_ratio_page", "error_ratio_ticket"},
	"kserve":     {"request_rate", "latency_p50", "latency_p95", "latency_p99", "latency_mean", "latency_buckets", "requests_last_week", "requests_hour_before"},
	"torchserve": {"request_rate", "latency_mean", "requests_last_week", "requests_hour_before"},
	"bentoml": {"request_rate", "error_ratio", "latency_p50", "latency_p95", "latency_p99", "latency_mean",
		"latency_buckets", "requests_last_week", "requests_hour_before", "error_ratio_page", "error_ratio_ticket"},
	"argo-rollouts": {"rollout_info", "analysis_run", "analysis_metric"},
	"flagger":       {"traffic_weight", "rollout_info", "rollout_set_weight"},
}

func profileQueries(t *testing.T, window time.Duration, names ...string) []config.Query {
	t.Helper()
	c := config.DefaultEnv(nil)
	c.Prometheus.Profile = names
	c.Window = window
	qs, err := c.Queries()
	if err != nil {
		t.Fatalf("profiles %v, window %v: %v", names, window, err)
	}
	return qs
}

func TestExporterProfilesRenderAndParse(t *testing.T) {
	// No experimental functions: the profiles must run on any backend.
	p := parser.NewParser(parser.Options{})
	for name, roles := range exporterRoles {
		for _, w := range []struct {
			window time.Duration
			text   string
		}{{30 * time.Second, "30s"}, {time.Minute, "1m"}, {5 * time.Minute, "5m"}, {90 * time.Minute, "1h30m"}, {48 * time.Hour, "2d"}} {
			qs := profileQueries(t, w.window, name)
			var got []string
			for _, q := range qs {
				got = append(got, q.Role)
				if strings.Contains(q.Expr, "{{") {
					t.Errorf("%s %s: template left in %q", name, q.Role, q.Expr)
				}
				if _, err := p.ParseExpr(q.Expr); err != nil {
					t.Errorf("%s %s: %v", name, q.Role, err)
				}
				// The burn-rate windows are fixed; the hour before ends
				// where the window begins.
				want := "[" + w.text + "]"
				switch q.Role {
				case "error_ratio_page", "error_ratio_ticket":
					want = "rate("
				case "requests_hour_before":
					want = "[1h] offset " + w.text + ")"
				}
				if strings.Contains(q.Expr, "rate(") && !strings.Contains(q.Expr, want) {
					t.Errorf("%s %s: window %s not in %q", name, q.Role, w.text, q.Expr)
				}
			}
			if !slices.Equal(got, roles) {
				t.Errorf("%s fills %v, want %v", name, got, roles)
			}
		}
	}
	if len(exporterRoles) != len(config.KnownProfiles())-1 {
		t.Errorf("profiles %v: every exporter profile needs an entry here", config.KnownProfiles())
	}
}

func TestTritonHasNoFakeQuantiles(t *testing.T) {
	for _, q := range profileQueries(t, time.Minute, "triton") {
		if strings.HasPrefix(q.Role, "latency_p") {
			t.Errorf("triton exports no latency histogram, yet fills %s with %q", q.Role, q.Expr)
		}
	}
}

func TestExporterAndRolloutProfilesCombine(t *testing.T) {
	got := map[string]string{}
	for _, q := range profileQueries(t, time.Minute, "triton", "argo-rollouts") {
		got[q.Role] = q.Expr
	}
	want := map[string]string{}
	for _, name := range []string{"triton", "argo-rollouts"} {
		for _, q := range profileQueries(t, time.Minute, name) {
			want[q.Role] = q.Expr
		}
	}
	if len(got) != 10 || len(got) != len(want) {
		t.Fatalf("[triton, argo-rollouts] fills %v, want triton's seven roles, rollout_info and the two analysis roles", got)
	}
	for role, expr := range want {
		if got[role] != expr {
			t.Errorf("%s = %q, want %q", role, got[role], expr)
		}
	}

	// After mltop, an exporter replaces only the roles it fills.
	mixed := map[string]string{}
	for _, q := range profileQueries(t, time.Minute, "mltop", "triton") {
		mixed[q.Role] = q.Expr
	}
	if !strings.Contains(mixed["latency_mean"], "nv_inference_request_duration_us") {
		t.Errorf("latency_mean = %q, want triton's", mixed["latency_mean"])
	}
	if !strings.Contains(mixed["latency_p95"], "model_prediction_duration_seconds_bucket") {
		t.Errorf("latency_p95 = %q, want mltop's, which triton does not replace", mixed["latency_p95"])
	}
}

// docs/profiles.md shows each profile's queries as a prometheus.queries
// block; these tests keep the blocks equal to the profiles and the examples
// valid.

func readProfilesDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "profiles.md"))
	if err != nil {
		t.Fatalf("read the profiles doc: %v", err)
	}
	return string(b)
}

// yamlBlocks returns the fenced yaml blocks of doc, indented ones dedented.
func yamlBlocks(doc string) []string {
	var blocks []string
	var cur []string
	indent, in := "", false
	for _, line := range strings.Split(doc, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case !in && trimmed == "```yaml":
			indent, in, cur = line[:len(line)-len(trimmed)], true, nil
		case in && trimmed == "```":
			blocks = append(blocks, strings.Join(cur, "\n")+"\n")
			in = false
		case in:
			cur = append(cur, strings.TrimPrefix(line, indent))
		}
	}
	return blocks
}

func TestProfilesDocShowsEachProfilesQueries(t *testing.T) {
	doc := readProfilesDoc(t)
	for name := range exporterRoles {
		heading := "\n## `" + name + "`\n"
		i := strings.Index(doc, heading)
		if i < 0 {
			t.Errorf("docs/profiles.md has no section %q", strings.TrimSpace(heading))
			continue
		}
		section := doc[i+len(heading):]
		if j := strings.Index(section, "\n## "); j >= 0 {
			section = section[:j]
		}
		blocks := yamlBlocks(section)
		if len(blocks) == 0 {
			t.Errorf("%s: no queries block", name)
			continue
		}
		// The profile's own block ends the section.
		var shown map[string]string
		if err := yaml.Unmarshal([]byte(blocks[len(blocks)-1]), &shown); err != nil {
			t.Errorf("%s: queries block: %v", name, err)
			continue
		}
		qs := profileQueries(t, time.Minute, name)
		if len(shown) != len(qs) {
			t.Errorf("%s: doc shows %d roles, the profile fills %d", name, len(shown), len(qs))
		}
		for _, q := range qs {
			if got := strings.ReplaceAll(shown[q.Role], "{{window}}", "1m"); got != q.Expr {
				t.Errorf("%s %s:\ndoc     %s\nprofile %s", name, q.Role, got, q.Expr)
			}
		}
	}
}

func TestProfilesDocExamplesAreValidConfig(t *testing.T) {
	n := 0
	for _, block := range yamlBlocks(readProfilesDoc(t)) {
		if !strings.HasPrefix(block, "prometheus:") {
			continue
		}
		n++
		if _, err := config.ParseEnv("profiles.md", []byte(block), func(string) string { return "" }); err != nil {
			t.Errorf("example\n%s\n%v", block, err)
		}
	}
	if n < 5 {
		t.Errorf("found %d example configs; the block extraction is broken", n)
	}
}

// A rollout controller's profile adds rollout state: its roles replace the
// exporter's, in either order of listing, as a later profile's always did.
func TestRolloutProfilesReplace(t *testing.T) {
	argo := queryMap(t, mustParse(t, "prometheus: {profile: [mltop, mlserver, argo-rollouts]}", nil))
	if got := argo["rollout_info"]; !strings.Contains(got, "rollout_phase") || strings.Contains(got, "model_rollout_info") {
		t.Errorf("argo-rollouts listed last should replace mltop's rollout_info, got %q", got)
	}
	if !strings.Contains(argo["request_rate"], " or on (model, version) ") {
		t.Errorf("a rollout profile should leave the exporters' union alone, request_rate = %q", argo["request_rate"])
	}
	first := queryMap(t, mustParse(t, "prometheus: {profile: [flagger, mltop]}", nil))
	if got := first["traffic_weight"]; got != "max by (model, version, track) (model_traffic_weight)" {
		t.Errorf("mltop listed after flagger should replace its traffic_weight, got %q", got)
	}
}
