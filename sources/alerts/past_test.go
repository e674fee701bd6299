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
	list, warnings, err := NewPast(q, at).Alerts(context.Background())
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
	if _, _, err := NewPast(q, at).Alerts(context.Background()); err == nil || !strings.Contains(err.Error(), "read the ALERTS series: connection refused") {
		t.Errorf("error %v", err)
	}
}
