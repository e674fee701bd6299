package alerts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

type fakeQuerier struct {
	vec  model.Vector
	err  error
	expr string
	at   time.Time
}

func (f *fakeQuerier) Query(_ context.Context, expr string, at time.Time) (model.Vector, []string, error) {
	f.expr, f.at = expr, at
	return f.vec, []string{"partial\x1b[31m"}, f.err
}

func TestPastReadsALERTSAtTheTime(t *testing.T) {
	at := time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC)
	q := &fakeQuerier{vec: model.Vector{
		{Metric: model.Metric{"__name__": "ALERTS", "alertname": "ModelErrorRateHigh", "alertstate": "firing", "model": "fraud", "version": "7", "severity": "critical"}, Value: 1},
		{Metric: model.Metric{"__name__": "ALERTS", "alertname": "Slow\x1b]0;pwned\x07", "alertstate": "pending", "model": "churn"}, Value: 1},
	}}
	list, warnings, err := NewPast(q, nil, at).Alerts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !q.at.Equal(at) || !strings.Contains(q.expr, "ALERTS") {
		t.Errorf("asked %q at %v", q.expr, q.at)
	}
	if len(list) != 2 {
		t.Fatalf("%d alerts: %+v", len(list), list)
	}
	a := list[0]
	if a.Name != "ModelErrorRateHigh" || a.State != fleet.AlertFiring || a.Model != "fraud" || a.Version != "7" || a.Severity != "critical" || !a.Since.IsZero() {
		t.Errorf("first alert %+v", a)
	}
	if _, ok := a.Labels["__name__"]; ok || a.Labels["alertstate"] != "" || a.Labels["alertname"] != "ModelErrorRateHigh" {
		t.Errorf("labels %v: want the rule's labels, without the series name and state", a.Labels)
	}
	if b := list[1]; b.State != fleet.AlertPending || strings.ContainsRune(b.Name, '\x1b') {
		t.Errorf("second alert %+v: want pending, its name cleaned", b)
	}
	if len(warnings) != 1 || strings.ContainsRune(warnings[0], '\x1b') {
		t.Errorf("warnings %q: want cleaned", warnings)
	}
	q.err = errors.New("connection refused")
	if _, _, err := NewPast(q, nil, at).Alerts(context.Background()); err == nil || !strings.Contains(err.Error(), "read the ALERTS series: connection refused") {
		t.Errorf("error %v", err)
	}
}

type fakeRules struct {
	names []string
	err   error
	asked int
}

func (f *fakeRules) AlertRuleNames(context.Context) ([]string, error) {
	f.asked++
	return f.names, f.err
}

// An empty ALERTS answer is "none" only when mltop's rules are loaded:
// otherwise no rule could have fired, and the alerts are unknown.
func TestPastEmptyIsNoneOnlyWithMLTopRules(t *testing.T) {
	at := time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		rules RuleLister
		want  string // "" : known, none
	}{
		{"mltop's rules", &fakeRules{names: []string{"Watchdog", "MLTopErrorRatioHigh"}}, ""},
		{"other rules only", &fakeRules{names: []string{"Watchdog", "ModelTrafficOdd"}}, "none of mltop's alerting rules"},
		{"no rules", &fakeRules{}, "none of mltop's alerting rules"},
		{"rules unreadable", &fakeRules{err: errors.New("status 404")}, "rules cannot be read: status 404"},
		{"nothing to ask", nil, "cannot be checked here"},
	} {
		list, _, err := NewPast(&fakeQuerier{}, c.rules, at).Alerts(context.Background())
		switch {
		case c.want == "" && (err != nil || len(list) != 0):
			t.Errorf("%s: %v, %v; want known, none", c.name, list, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
	// An answer with alerts needs no rules read.
	r := &fakeRules{}
	q := &fakeQuerier{vec: model.Vector{{Metric: model.Metric{"alertname": "Watchdog", "alertstate": "firing"}, Value: 1}}}
	if list, _, err := NewPast(q, r, at).Alerts(context.Background()); err != nil || len(list) != 1 || r.asked != 0 {
		t.Errorf("alerts %v, err %v, rules asked %d times; want the alert, no rules read", list, err, r.asked)
	}
}
