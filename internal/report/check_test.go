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
		Queries: []fleet.QueryStatus{{Name: "request_rate", Source: "prometheus", OK: true}},
		Models: []fleet.Model{
			{Name: "fraud", Versions: []fleet.Version{{Version: "8", RequestsPerSecond: f(10), ErrorRate: f(0.08)}}},
			{Name: "churn", Versions: []fleet.Version{{Version: "3", RequestsPerSecond: f(10), ErrorRate: f(0.03)}}}, // early warning only
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
