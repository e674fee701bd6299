package wiring

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
)

// atMetrics answers the request-rate query with the time it was asked
// at, in seconds, and records those times.
type atMetrics struct {
	mu    sync.Mutex
	asked []time.Time
	empty bool
}

func (m *atMetrics) Name() string { return "prometheus" }
func (m *atMetrics) Kind() string { return "prometheus" }
func (m *atMetrics) Query(_ context.Context, expr string, at time.Time) (model.Vector, []string, error) {
	m.mu.Lock()
	m.asked = append(m.asked, at)
	m.mu.Unlock()
	if m.empty || expr != "rps" {
		return nil, nil, nil
	}
	return model.Vector{{Metric: model.Metric{"model": "fraud", "version": "7"}, Value: model.SampleValue(at.Unix() % 1000), Timestamp: model.TimeFromUnixNano(at.UnixNano())}}, nil, nil
}

// The time ScrapeTargets would report is today's: a look back must not see it.
func (m *atMetrics) ScrapeTargets() []fleet.ScrapeTarget {
	return []fleet.ScrapeTarget{{URL: "http://x", Up: false, LastSuccess: time.Unix(1, 0), Series: []fleet.ModelVersion{{Model: "fraud", Version: "7"}}}}
}

type fixedRegistry struct{ reg fleet.Registry }

func (r fixedRegistry) Name() string                                     { return "mlflow" }
func (r fixedRegistry) Kind() string                                     { return "mlflow" }
func (r fixedRegistry) Registry(context.Context) (fleet.Registry, error) { return r.reg, nil }

// history moves the champion alias back to version 6 before movedAt.
type regHistory struct {
	movedAt time.Time
	err     error
	gotAt   time.Time
}

func (h *regHistory) RegistryAt(cur fleet.Registry, at time.Time) (fleet.Registry, []string, error) {
	h.gotAt = at
	if h.err != nil {
		return fleet.Registry{}, nil, h.err
	}
	if at.Before(h.movedAt) {
		m := cur.Models[0]
		m.Aliases = map[string]string{"champion": "6"}
		return fleet.Registry{Models: []fleet.RegisteredModel{m}}, nil, nil
	}
	return cur, nil, nil
}

func lookBackApp(t *testing.T, metrics *atMetrics, alerts poll.AlertSource) *App {
	t.Helper()
	cfg := config.Default()
	reg := fleet.Registry{Models: []fleet.RegisteredModel{{Name: "fraud", Aliases: map[string]string{"champion": "7"},
		Versions: []fleet.RegisteredVersion{{Version: "6"}, {Version: "7", Aliases: []string{"champion"}}}}}}
	a := &App{Config: cfg}
	a.Poller = poll.New(poll.Options{Metrics: metrics, Registry: fixedRegistry{reg}, Alerts: alerts,
		Queries: []poll.Query{{Name: "rps", Role: fleet.RoleRequestRate, Expr: "rps"}}})
	return a
}

func TestSnapshotAtQueriesThenAndTakesRegistryBack(t *testing.T) {
	m := &atMetrics{}
	a := lookBackApp(t, m, nil)
	now := time.Now()
	at := now.Add(-2 * time.Hour).Truncate(time.Second)
	h := &regHistory{movedAt: now.Add(-time.Hour)}
	a.PastRegistry = h
	var recorded int
	o := a.Poller.Options()
	o.OnRegistry = func(fleet.Registry, time.Time) { recorded++ }
	a.Poller = poll.New(o)
	snap, err := a.SnapshotAt(context.Background(), at)
	if err != nil {
		t.Fatal(err)
	}
	if !snap.TakenAt.Equal(at) || snap.Live() || snap.LookBack.MadeAt.Before(now) {
		t.Errorf("taken at %v (want %v), live %v, look back %+v", snap.TakenAt, at, snap.Live(), snap.LookBack)
	}
	for _, q := range m.asked {
		if !q.Equal(at) {
			t.Errorf("a query was evaluated at %v, want %v", q, at)
		}
	}
	if !h.gotAt.Equal(at) {
		t.Errorf("registry history asked for %v, want %v", h.gotAt, at)
	}
	if len(snap.Models) != 1 || snap.Models[0].Aliases["champion"] != "6" {
		t.Fatalf("models %+v: want fraud with champion 6 as it was then", snap.Models)
	}
	var rps *float64
	for _, v := range snap.Models[0].Versions {
		if v.Version == "7" {
			rps = v.RequestsPerSecond
		}
	}
	if rps == nil || *rps != float64(at.Unix()%1000) {
		t.Errorf("v7's rate %v, want the one asked at T, %d", rps, at.Unix()%1000)
	}
	for _, s := range snap.Sources {
		if s.Targets != nil || !s.OK || !s.LastSuccess.Equal(at) {
			t.Errorf("source %s: ok %v targets %v last success %v; want ok, no targets (today's), as of T", s.Name, s.OK, s.Targets, s.LastSuccess)
		}
	}
	if len(snap.LookBack.Notes) != 0 {
		t.Errorf("notes %q, want none: everything is as it was", snap.LookBack.Notes)
	}
	if recorded != 0 {
		t.Errorf("the past registry went to the registry history %d times: a look back must record nothing", recorded)
	}
	if live, ok := a.Poller.Hub().Latest(); ok {
		t.Errorf("the look back published on the live poller's hub: %+v", live)
	}
}

func TestSnapshotAtSaysAliasesAreTodays(t *testing.T) {
	at := time.Now().Add(-time.Hour)
	for name, h := range map[string]PastRegistry{
		"no history":     nil,
		"history failed": &regHistory{err: errors.New("file unreadable")},
	} {
		a := lookBackApp(t, &atMetrics{}, nil)
		a.PastRegistry = h
		snap, err := a.SnapshotAt(context.Background(), at)
		if err != nil {
			t.Fatal(err)
		}
		notes := strings.Join(snap.LookBack.Notes, "; ")
		if !strings.Contains(notes, "aliases and stages are today's") || (h != nil && !strings.Contains(notes, "file unreadable")) {
			t.Errorf("%s: notes %q", name, notes)
		}
		if snap.Models[0].Aliases["champion"] != "7" {
			t.Errorf("%s: champion %q, want today's 7", name, snap.Models[0].Aliases["champion"])
		}
	}
}

func TestSnapshotAtRefuses(t *testing.T) {
	a := lookBackApp(t, &atMetrics{}, nil)
	if _, err := a.SnapshotAt(context.Background(), time.Now().Add(time.Hour)); err == nil || !strings.Contains(err.Error(), "in the future") {
		t.Errorf("future: %v", err)
	}
	a = lookBackApp(t, &atMetrics{empty: true}, nil)
	_, err := a.SnapshotAt(context.Background(), time.Now().Add(-400*24*time.Hour))
	if !errors.Is(err, ErrNothingThen) || !strings.Contains(err.Error(), "retention") {
		t.Errorf("before retention: %v", err)
	}
}

// Alertmanager keeps no past: the alerts of a look back without a rule
// evaluator are unknown, with why, never "none".
func TestSnapshotAtAlertsUnknownWithoutRules(t *testing.T) {
	a := lookBackApp(t, &atMetrics{}, unknownAlerts{}) // any configured alert source
	snap, err := a.SnapshotAt(context.Background(), time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if snap.Alerts == nil || snap.Alerts.Known || !strings.Contains(snap.Alerts.Error, "Alertmanager keeps no history") {
		t.Fatalf("alerts %+v, want unknown with why", snap.Alerts)
	}
	if notes := strings.Join(snap.LookBack.Notes, "; "); !strings.Contains(notes, "alerts unknown") {
		t.Errorf("notes %q", notes)
	}
}
