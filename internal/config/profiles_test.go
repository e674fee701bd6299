package config_test

import (
	"slices"
	"strings"
	"testing"
	"time"

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
	if !slices.Equal(roles, config.KnownRoles()) {
		t.Errorf("roles %v, want every known role in order %v", roles, config.KnownRoles())
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

	later := queryMap(t, mustParse(t, "prometheus: {profile: [mltop, exporter]}", nil))
	if want := "sum by (model, version) (rate(exporter_requests_total[1m]))"; later["request_rate"] != want {
		t.Errorf("later profile should win: request_rate = %q, want %q", later["request_rate"], want)
	}
	if later["drift_score"] == "" {
		t.Error("roles only the earlier profile fills should stay")
	}

	earlier := queryMap(t, mustParse(t, "prometheus: {profile: [exporter, mltop]}", nil))
	if want := "sum by (model, version) (rate(model_predictions_total[1m]))"; earlier["request_rate"] != want {
		t.Errorf("mltop listed last should win: request_rate = %q, want %q", earlier["request_rate"], want)
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
	if !slices.Contains(got, "mltop") || !slices.IsSorted(got) {
		t.Errorf("KnownProfiles() = %v, want a sorted list with mltop", got)
	}
}
