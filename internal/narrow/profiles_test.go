package narrow_test

import (
	"strings"
	"testing"

	_ "github.com/mltop/mltop/internal/actions" // the config names action kinds
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/narrow"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// TestNarrowFollowsProfileCopies: for the profiles whose exporters name the
// model (and version) in another label, every selector of a narrowed role
// carries the matcher on that exporter label, so the query finds the
// model's series instead of none.
func TestNarrowFollowsProfileCopies(t *testing.T) {
	type want struct{ name, value string }
	cases := []struct {
		profile, version string
		roles            []string
		want             []want
	}{
		{"kserve", "", []string{"request_rate", "latency_p95", "latency_mean", "latency_buckets"},
			[]want{{"model_name", "m1"}, {"version", ""}}},
		{"torchserve", "2.0", []string{"request_rate", "latency_mean"},
			[]want{{"model_name", "m1"}, {"model_version", "2.0"}}},
		// TorchServe writes "default" for no version; the query makes it "".
		{"torchserve", "", []string{"request_rate", "latency_mean"},
			[]want{{"model_name", "m1"}, {"model_version", "~default|"}}},
		{"bentoml", "1.2", []string{"request_rate", "error_ratio", "latency_p95", "latency_mean"},
			[]want{{"runner_name", "m1"}, {"service_version", "1.2"}}},
		{"bentoml", "", []string{"request_rate", "error_ratio", "latency_p95"},
			[]want{{"runner_name", "m1"}, {"service_version", `~not available|`}}},
		{"flagger", "", []string{"traffic_weight", "rollout_set_weight"},
			[]want{{"workload", "m1"}, {"version", ""}}},
		{"flagger", "", []string{"rollout_info"}, []want{{"name", "m1"}}},
		{"argo-rollouts", "", []string{"rollout_info"}, []want{{"name", "m1"}}},
	}
	for _, c := range cases {
		cfg, err := config.Parse("c.yaml", []byte("prometheus:\n  profile: "+c.profile+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		qs, err := cfg.Queries()
		if err != nil {
			t.Fatal(err)
		}
		byRole := map[string]string{}
		for _, q := range qs {
			byRole[q.Role] = q.Expr
		}
		for _, role := range c.roles {
			expr, ok := byRole[role]
			if !ok {
				t.Errorf("%s has no %s", c.profile, role)
				continue
			}
			equal := map[string]string{"model": "m1"}
			if c.profile != "argo-rollouts" && role != "rollout_info" {
				equal["version"] = c.version
			}
			out, err := narrow.Query(expr, equal)
			if err != nil {
				t.Errorf("%s %s: %v", c.profile, role, err)
				continue
			}
			e, err := parser.NewParser(parser.Options{EnableExperimentalFunctions: true}).ParseExpr(out)
			if err != nil {
				t.Fatalf("%s %s: %s does not parse: %v", c.profile, role, out, err)
			}
			parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
				vs, ok := n.(*parser.VectorSelector)
				if !ok {
					return nil
				}
				for _, w := range c.want {
					if !hasMatcher(vs, w.name, w.value) {
						t.Errorf("%s %s version %q: selector %s lacks %s=%q", c.profile, role, c.version, vs, w.name, w.value)
					}
				}
				if w := c.want[0]; w.name != "model" && hasMatcher(vs, "model", "m1") {
					t.Errorf("%s %s: selector %s still narrowed on model, which the exporter lacks", c.profile, role, vs)
				}
				return nil
			})
		}
	}
}

// hasMatcher: value "~R" stands for a regular expression matcher.
func hasMatcher(vs *parser.VectorSelector, name, value string) bool {
	typ := labels.MatchEqual
	if v, ok := strings.CutPrefix(value, "~"); ok {
		typ, value = labels.MatchRegexp, v
	}
	for _, m := range vs.LabelMatchers {
		if m.Name == name && m.Type == typ && m.Value == value {
			return true
		}
	}
	return false
}

// TestNarrowRefusesUntraceableLabels: a label the query sets to a constant,
// takes from part of another label, or rewrites so that no series can hold
// the value is refused, not narrowed into a query that matches nothing.
func TestNarrowRefusesUntraceableLabels(t *testing.T) {
	for expr, equal := range map[string]map[string]string{
		`label_replace(a, "model", "fixed", "", "")`:                                                         {"model": "m"},
		`label_replace(a, "model", "$1", "name", "(.*)-canary")`:                                             {"model": "m"},
		`label_join(a, "model", "-", "x", "y")`:                                                              {"model": "m"},
		`label_replace(label_replace(a, "version", "$1", "v", "(.*)"), "version", "", "version", "default")`: {"version": "default"},
		`label_replace(label_replace(a, "version", "", "version", "x"), "version", "", "version", "y")`:      {"version": ""},
	} {
		if out, err := narrow.Query(expr, equal); err == nil {
			t.Errorf("%s narrowed to %v as %s", expr, equal, out)
		}
	}
	// The argo-rollouts profile takes an analysis run's model from part of
	// the run's name: narrowing it is refused.
	cfg, err := config.Parse("c.yaml", []byte("prometheus:\n  profile: argo-rollouts\n"))
	if err != nil {
		t.Fatal(err)
	}
	qs, err := cfg.Queries()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.Role == "analysis_run" {
			if out, err := narrow.ToModel(q.Expr, "m"); err == nil {
				t.Errorf("analysis_run narrowed to %s", out)
			}
		}
	}
}

// TestNarrowToModelsFollowsTheCopy: several names (a registered name and the
// serving names mapped onto it) narrow on the label model is copied from,
// each name quoted.
func TestNarrowToModelsFollowsTheCopy(t *testing.T) {
	out, err := narrow.ToModels(`sum by (model) (label_replace(rate(request_predict_seconds_count[1m]), "model", "$1", "model_name", "(.*)"))`, []string{"iris", "iris.v2"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `model_name=~"iris|iris\\.v2"`; !strings.Contains(out, want) || strings.Contains(out, `model=~`) {
		t.Errorf("narrowed to %s, want %s on the selector", out, want)
	}
}
