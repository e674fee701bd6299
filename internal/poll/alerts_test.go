package poll

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
)

// fakeAlerts answers every read with alerts, or err.
type fakeAlerts struct {
	mu     sync.Mutex
	alerts []fleet.Alert
	err    error
	reads  int
}

func (f *fakeAlerts) Name() string { return "alerts" }
func (f *fakeAlerts) Kind() string { return fleet.SourceKindAlerts }

func (f *fakeAlerts) Alerts(ctx context.Context) ([]fleet.Alert, []string, error) {
	if _, ok := ctx.Deadline(); !ok {
		return nil, nil, errors.New("read without a deadline")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	return f.alerts, nil, f.err
}

func (f *fakeAlerts) set(as []fleet.Alert, err error) {
	f.mu.Lock()
	f.alerts, f.err = as, err
	f.mu.Unlock()
}

func TestAlertsAttachToModelsBesideHealth(t *testing.T) {
	metrics := &fakeMetrics{answer: func(_ context.Context, expr string) (model.Vector, []string, error) {
		if expr == "errors" {
			return model.Vector{sample(0.001, "model", "fraud", "version", "7"), sample(0.001, "model", "churn", "version", "2")}, nil, nil
		}
		return model.Vector{sample(10, "model", "fraud", "version", "7"), sample(10, "model", "churn", "version", "2")}, nil, nil
	}}
	src := &fakeAlerts{alerts: []fleet.Alert{
		{Name: "Pending", State: fleet.AlertPending, Model: "fraud"},
		{Name: "ErrorsHigh", State: fleet.AlertFiring, Model: "fraud", Version: "7", Severity: "critical"},
		{Name: "Silenced", State: fleet.AlertSuppressed, Model: "churn", SilencedBy: []fleet.Silence{{ID: "s", Author: "ana"}}},
		{Name: "Watchdog", State: fleet.AlertFiring},
		{Name: "Elsewhere", State: fleet.AlertFiring, Model: "not-in-fleet"},
	}}
	clock := newFakeClock()
	p := New(Options{Metrics: metrics, Alerts: src, Now: clock.Now,
		Queries: []Query{{Name: "rps", Role: fleet.RoleRequestRate, Expr: "rps"}, {Name: "err", Role: fleet.RoleErrorRatio, Expr: "errors"}}})
	snap := p.PollOnce(context.Background())
	if src.reads != 1 {
		t.Errorf("%d reads, want 1", src.reads)
	}
	byName := map[string]*fleet.Model{}
	for i := range snap.Models {
		byName[snap.Models[i].Name] = &snap.Models[i]
	}
	fraud, churn := byName["fraud"], byName["churn"]
	if fraud == nil || churn == nil {
		t.Fatalf("models %v", snap.Models)
	}
	if len(fraud.Alerts) != 2 || fraud.Alerts[0].Name != "ErrorsHigh" || fraud.Alerts[1].Name != "Pending" {
		t.Errorf("fraud's alerts, firing first: %+v", fraud.Alerts)
	}
	if fraud.FiringAlerts() != 1 || len(churn.Alerts) != 1 || churn.FiringAlerts() != 0 {
		t.Errorf("firing: fraud %d, churn %+v", fraud.FiringAlerts(), churn.Alerts)
	}
	// A firing alert does not make the model unhealthy: the same
	// thresholds are judged once, by the judge.
	without := New(Options{Metrics: metrics, Now: clock.Now, Queries: p.opts.Queries}).PollOnce(context.Background())
	for _, m := range without.Models {
		if got := byName[m.Name].Health; got.Status != m.Health.Status || len(got.Findings) != len(m.Health.Findings) {
			t.Errorf("%s: health %v with alerts, %v without", m.Name, got, m.Health)
		}
	}
	sum := snap.Alerts
	if sum == nil || !sum.Known || sum.Firing != 3 || sum.Pending != 1 || sum.Suppressed != 1 || len(sum.Unattached) != 2 {
		t.Fatalf("fleet-wide alerts: %+v", sum)
	}
	last := snap.Sources[len(snap.Sources)-1]
	if !last.IsAlerts() || !last.OK {
		t.Errorf("alert source status: %+v", last)
	}

	// A failed read: alerts unknown, never none; other values not stale.
	src.set(nil, errors.New("connection refused"))
	clock.Advance(5 * time.Second)
	snap = p.PollOnce(context.Background())
	if snap.Alerts.Known || snap.Alerts.Error != "connection refused" || snap.Alerts.Firing != 0 {
		t.Errorf("after a failure: %+v", snap.Alerts)
	}
	for _, m := range snap.Models {
		if m.Alerts != nil {
			t.Errorf("%s: alerts %v after a failed read, want unknown (nil)", m.Name, m.Alerts)
		}
	}
	if st := judge.RolesStale(&snap, fleet.RoleRequestRate); st.Stale {
		t.Errorf("the alert source failing made request rates stale: %+v", st)
	}
}

// Without an alert source there is no alert picture at all.
func TestNoAlertSource(t *testing.T) {
	metrics := &fakeMetrics{answer: func(context.Context, string) (model.Vector, []string, error) {
		return model.Vector{sample(10, "model", "fraud", "version", "7")}, nil, nil
	}}
	p := New(Options{Metrics: metrics, Queries: []Query{{Name: "rps", Role: fleet.RoleRequestRate, Expr: "rps"}}})
	snap := p.PollOnce(context.Background())
	if snap.Alerts != nil || snap.Models[0].Alerts != nil {
		t.Errorf("alerts without a source: %+v %+v", snap.Alerts, snap.Models[0].Alerts)
	}
}

// fakeAlertmanager is fakeAlerts reporting Alertmanager as its backend.
type fakeAlertmanager struct{ fakeAlerts }

func (f *fakeAlertmanager) Backend() string { return fleet.AlertBackendAlertmanager }

// Alerts read from Alertmanager while the metrics server (whose rules send
// them) cannot be read are unknown, with why: Alertmanager lets what it no
// longer hears of resolve, so its "none" would be a false all-clear. Read
// from the rule evaluator itself they fail with it anyway.
func TestAlertmanagerAlertsUnknownWhileTheRulesServerIsDown(t *testing.T) {
	var down bool
	var mu sync.Mutex
	metrics := &fakeMetrics{answer: func(_ context.Context, expr string) (model.Vector, []string, error) {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return nil, nil, errors.New("connection refused")
		}
		return model.Vector{sample(10, "model", "fraud", "version", "7")}, nil, nil
	}}
	src := &fakeAlertmanager{}
	clock := newFakeClock()
	p := New(Options{Metrics: metrics, Alerts: src, Now: clock.Now, Queries: []Query{{Name: "rps", Role: fleet.RoleRequestRate, Expr: "rps"}}})
	if snap := p.PollOnce(context.Background()); !snap.Alerts.Known || snap.Models[0].Alerts == nil {
		t.Fatalf("with the metrics server up: %+v", snap.Alerts)
	}
	mu.Lock()
	down = true
	mu.Unlock()
	clock.Advance(5 * time.Second)
	snap := p.PollOnce(context.Background())
	if snap.Alerts.Known || !strings.Contains(snap.Alerts.Error, "the metrics server, whose rules send the alerts, cannot be read (") {
		t.Errorf("with the metrics server down, Alertmanager's empty list is taken as known: %+v", snap.Alerts)
	}
	for _, m := range snap.Models {
		if m.Alerts != nil {
			t.Errorf("%s: alerts %v, want unknown (nil)", m.Name, m.Alerts)
		}
	}
}
