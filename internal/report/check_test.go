package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
)

func checkSnapshot() fleet.Snapshot {
	s := fleet.Snapshot{
		TakenAt: time.Unix(1000, 0),
		Sources: []fleet.SourceStatus{{Name: "prometheus", OK: true}, {Name: "mlflow", OK: true}},
		Queries: []fleet.QueryStatus{{Name: "request_rate", Role: fleet.RoleRequestRate, Source: "prometheus", OK: true, Series: 2}},
		Models: []fleet.Model{
			{Name: "fraud", Serving: true, Versions: []fleet.Version{{Version: "8", RequestsPerSecond: f(10), ErrorRate: f(0.08)}}},
			{Name: "churn", Serving: true, Versions: []fleet.Version{{Version: "3", RequestsPerSecond: f(10), ErrorRate: f(0.03)}}}, // early warning only
		},
	}
	for i := range s.Models {
		judge.Model(&s.Models[i], judge.Default())
	}
	return s
}

func TestEvaluate(t *testing.T) {
	s := checkSnapshot()
	r := Evaluate(s)
	if r.Code != CheckBreached || len(r.Breaches) != 1 || r.Breaches[0].Model != "fraud" || r.Breaches[0].Check != fleet.CheckErrorRate {
		t.Fatalf("breach verdict = %+v", r)
	}
	var b strings.Builder
	if err := WriteCheck(&b, r, "text"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "CRITICAL  fraud v8: error rate 8.0% ≥ 5.0%") || !strings.Contains(b.String(), "breached: 2 models, 1 breaches, 0 failures") {
		t.Fatalf("text:\n%s", b.String())
	}

	s.Models = s.Models[1:]
	if r := Evaluate(s); r.Code != CheckHealthy {
		t.Fatalf("an early warning is not a breach: %+v", r)
	}

	s = checkSnapshot()
	s.Sources[0] = fleet.SourceStatus{Name: "prometheus", Error: "connection refused"}
	r = Evaluate(s)
	if r.Code != CheckFailed || len(r.Failures) != 1 || r.Failures[0].Error != "connection refused" {
		t.Fatalf("source failure verdict = %+v", r)
	}
	b.Reset()
	if err := WriteCheck(&b, r, "json"); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(b.String()), &doc); err != nil || doc["status"] != "failed" || doc["code"] != 2.0 {
		t.Fatalf("json = %s (%v)", b.String(), err)
	}

	s = checkSnapshot()
	s.Queries[0] = fleet.QueryStatus{Name: "request_rate", Source: "prometheus", Error: "bad_data: parse error"}
	if r := Evaluate(s); r.Code != CheckFailed || r.Failures[0].Query != "request_rate" {
		t.Fatalf("failed query verdict = %+v", r)
	}
}

// TestEvaluateCannotTell: each reason to doubt the picture makes the
// verdict 2, even over a breach, and says why in text and JSON.
func TestEvaluateCannotTell(t *testing.T) {
	cases := []struct {
		name   string
		change func(*fleet.Snapshot, *CheckInput)
		kind   string
		text   []string
	}{
		{"partial response", func(s *fleet.Snapshot, _ *CheckInput) {
			s.Sources[0].Warnings = []string{`partial: store 10.0.0.7:10901 {prometheus="eu1"}: connection refused`}
		}, ReasonPartialResponse, []string{
			`WARNING   prometheus: partial: store 10.0.0.7:10901 {prometheus="eu1"}: connection refused`,
			"UNKNOWN   prometheus answered in part (1 warning)", "unknown: 2 models, 1 breaches, 0 failures, 1 warning"}},
		{"no models at all", func(s *fleet.Snapshot, in *CheckInput) {
			s.Models, s.Queries[0].Series = nil, 0
			in.Queries = map[string]string{"request_rate": "sum(rate(x_total[5m]))"}
		}, ReasonNoModels, []string{"UNKNOWN   no models found: query request_rate (sum(rate(x_total[5m]))) came back empty", "unknown: 0 models"}},
		{"no models, no profile detected", func(s *fleet.Snapshot, in *CheckInput) {
			s.Models, s.Queries[0].Series = nil, 0
			s.Sources[0].Profiles = &fleet.Profiles{Names: []string{"mltop", "triton"}, Problem: "no exporter profile's metrics on the server in the last hour (looked for model_predictions_total)"}
			in.Queries = map[string]string{"request_rate": "(sum(rate(x_total[5m])) or on (model, version) sum(rate(y_total[5m])))"}
		}, ReasonNoModels, []string{"UNKNOWN   no models found: no exporter profile's metrics on the server in the last hour (looked for model_predictions_total); check the tenant and the scrape config, or write prometheus.profile"}},
		{"registry models only", func(s *fleet.Snapshot, _ *CheckInput) {
			s.Queries[0].Series = 0
			for i := range s.Models {
				s.Models[i].Serving = false
			}
		}, ReasonNoModels, []string{"no models found in the metrics (2 models only in the registry): query request_rate came back empty"}},
		{"short wait", func(_ *fleet.Snapshot, in *CheckInput) {
			in.ShortWait = "the wait ended before the rate window filled"
		}, ReasonShortWait, []string{"UNKNOWN   the wait ended before the rate window filled"}},
		{"source without an answer", func(s *fleet.Snapshot, _ *CheckInput) {
			s.Sources[1] = fleet.SourceStatus{Name: "mlflow"}
		}, ReasonSourceFailed, []string{"FAILED    mlflow: no answer", "failed: 2 models, 1 breaches, 1 failures"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := checkSnapshot()
			var in CheckInput
			c.change(&s, &in)
			r := EvaluateWith(s, in)
			if r.Code != CheckUnknown || len(r.Reasons) != 1 || r.Reasons[0].Kind != c.kind {
				t.Fatalf("verdict = %+v, want 2 for %s", r, c.kind)
			}
			var b strings.Builder
			if err := WriteCheck(&b, r, "text"); err != nil {
				t.Fatal(err)
			}
			for _, want := range c.text {
				if !strings.Contains(b.String(), want) {
					t.Errorf("text lacks %q:\n%s", want, b.String())
				}
			}
			b.Reset()
			if err := WriteCheck(&b, r, "json"); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Code     int
				Warnings []Warning
				Reasons  []Reason
			}
			if err := json.Unmarshal([]byte(b.String()), &doc); err != nil || doc.Code != 2 || len(doc.Reasons) != 1 ||
				doc.Reasons[0].Kind != c.kind || len(doc.Warnings) != len(s.Sources[0].Warnings) {
				t.Fatalf("json = %s (%v)", b.String(), err)
			}
		})
	}
}
