package contexts

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/root"
	"github.com/mltop/mltop/ui/uitest"
)

// within bounds every wait of these tests.
const within = 10 * time.Second

// fixture is two contexts, prod and staging, with their own fleets and
// snapshot subscriptions, and an opener that counts its calls.
type fixture struct {
	t     testing.TB
	ctxs  []config.Context
	feeds map[string]chan fleet.Snapshot
	mu    sync.Mutex
	opens map[string]int
	sw    *Model
	d     *uitest.Driver
}

// fleetOf is a context's fleet: prod the first four models of the
// fixture, staging the last three.
func fleetOf(name string) fleet.Snapshot {
	s := uitest.Snapshot()
	if name == "prod" {
		s.Models = s.Models[:4]
	} else {
		s.Models = s.Models[4:]
	}
	s.Context = name
	return s
}

func newFixture(t testing.TB, w, h int) *fixture {
	t.Helper()
	f := &fixture{t: t, feeds: map[string]chan fleet.Snapshot{}, opens: map[string]int{}}
	f.ctxs = []config.Context{
		{Name: "prod", Color: "red", Config: &config.Config{ContextName: "prod", ContextColor: "red",
			Prometheus: config.Prometheus{URL: "http://prom.prod.example:9090"}}},
		{Name: "staging", Config: &config.Config{ContextName: "staging",
			Prometheus: config.Prometheus{URL: "http://prom.staging.example:9090"}}},
	}
	for _, c := range f.ctxs {
		feed := make(chan fleet.Snapshot, 4)
		f.feeds[c.Name] = feed
		// Ends the roots' pending reads, as the poller's hub does.
		t.Cleanup(func() { close(feed) })
	}
	f.sw = New(Options{Contexts: f.ctxs, Current: "prod", First: f.options("prod"), Open: f.open})
	f.sw.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return f
}

// options are a context's root options: the fixture's look, its own
// subscription, actions whose R key can be refused.
func (f *fixture) options(name string) root.Options {
	c := uitest.Common("dark")
	c.Snapshot = nil
	return root.Options{Common: c, Snapshots: f.feeds[name], Actions: fakeActions{}}
}

func (f *fixture) open(_ context.Context, name string) (root.Options, error) {
	f.mu.Lock()
	f.opens[name]++
	f.mu.Unlock()
	return f.options(name), nil
}

func (f *fixture) opened(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.opens[name]
}

// start runs the switcher and waits for prod's first snapshot.
func (f *fixture) start() *uitest.Driver {
	f.d = uitest.NewDriver(f.t, f.sw)
	f.publish("prod", fleetOf("prod"))
	return f.d
}

// publish sends a snapshot on a context's subscription and waits for its
// root to hold it.
func (f *fixture) publish(name string, s fleet.Snapshot) {
	f.t.Helper()
	f.feeds[name] <- s
	f.d.Until(name+"'s snapshot arrives", within, func() bool {
		r := f.sw.Root(name)
		return r != nil && r.Common().Snapshot != nil && r.Common().Snapshot.TakenAt.Equal(s.TakenAt) &&
			len(r.Common().Snapshot.Models) == len(s.Models)
	})
}

// switchTo types :ctx NAME and waits for it to be shown.
func (f *fixture) switchTo(name string) {
	f.t.Helper()
	f.d.Command("ctx " + name)
	f.d.Until("context "+name+" shown", within, func() bool { return f.sw.Shown() == name })
}

// fakeActions has one action, rollback on R.
type fakeActions struct{}

func (fakeActions) Plan(context.Context, actions.Request) (actions.Plan, error) {
	return actions.Plan{}, nil
}
func (fakeActions) Execute(context.Context, actions.Request) actions.Result { return actions.Result{} }
func (fakeActions) Specs() []actions.Spec {
	return []actions.Spec{{Action: actions.Rollback, Title: "Rollback", Key: "R", Role: config.RoleOperator}}
}
func (fakeActions) ReadOnly() bool { return false }
func (fakeActions) AuditRecords(audit.Filter) ([]audit.Record, int, error) {
	return nil, 0, nil
}

var _ common.Actions = fakeActions{}

// containsFirstLine reports whether the frame's first line contains s.
func containsFirstLine(frame, s string) bool {
	first, _, _ := strings.Cut(frame, "\n")
	return strings.Contains(first, s)
}
