package contexts

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/root"
)

// pastAllOK looks back to a past where every model was ok.
type pastAllOK struct{}

func (pastAllOK) SnapshotAt(_ context.Context, at time.Time) (fleet.Snapshot, error) {
	s := fleetOf("prod")
	for i := range s.Models {
		s.Models[i].Health.Status = fleet.StatusOK
	}
	s.TakenAt, s.LookBack = at, &fleet.LookBack{}
	return s, nil
}

// A context looking back counts its present in :ctx and :ctx all, never
// the past it shows: a model critical now is not ok because it was an
// hour ago.
func TestLookBackIsNotLiveHealth(t *testing.T) {
	f := newFixture(t, 140, 30)
	f.sw.Root("prod").Common().LookBack = pastAllOK{}
	d := f.start()
	live := fleetOf("prod")
	live.TakenAt = live.TakenAt.Add(time.Minute)
	live.Models[0].Health.Status = fleet.StatusCritical
	crit := live.Models[0].Name
	f.publish("prod", live)
	d.Command("at -2h")
	d.Until("prod looks back", within, func() bool {
		s := f.sw.Root("prod").Common().Snapshot
		return s != nil && s.LookBack != nil
	})

	d.Command("ctx")
	d.Until("the list", within, func() bool { return d.Shows("CONTEXT", "looks back") })
	if h := f.sw.health()[0]; h.Snapshot == nil || countHealth(h.Snapshot).crit != 1 || !h.LookingBack {
		t.Fatalf("prod's health while looking back = %+v, want its live critical model", h)
	}

	d.Command("ctx all")
	d.Until("the merged view has prod", within, func() bool {
		s := allSnapshot(f)
		return s != nil && len(s.Models) >= len(live.Models)
	})
	for _, md := range allSnapshot(f).Models {
		if md.Name == common.MergedModelName("prod", crit) && md.Health.Status != fleet.StatusCritical {
			t.Fatalf("the merged view shows %s as %s while it is critical now", md.Name, md.Health.Status)
		}
	}
}

// allSnapshot is the merged view's snapshot; nil before it has one.
func allSnapshot(f *fixture) *fleet.Snapshot {
	if r := f.sw.Root(common.AllContexts); r != nil {
		return r.Common().Snapshot
	}
	return nil
}

// blockingOpen makes the fixture's opener wait for release.
func blockingOpen(f *fixture) (release func()) {
	ch := make(chan struct{})
	f.sw.opts.Open = func(ctx context.Context, name string) (root.Options, error) {
		select {
		case <-ch:
		case <-ctx.Done():
			return root.Options{}, ctx.Err()
		}
		return f.options(name), nil
	}
	return func() { close(ch) }
}

// A context that starts slowly does not take the keyboard from the user
// who went on working: while they type a filter, it says it is ready.
func TestSlowContextDoesNotTakeTheKeyboard(t *testing.T) {
	f := newFixture(t, 120, 30)
	release := blockingOpen(f)
	d := f.start()
	d.Command("ctx staging")
	d.Until("staging starting", within, func() bool { return d.Shows("starting context staging") })
	d.Keys("/", "cre")
	release()
	d.Until("staging started", within, func() bool { return f.sw.Root("staging") != nil })
	if f.sw.Shown() != "prod" {
		t.Fatalf("switched to %s while a filter was typed in prod", f.sw.Shown())
	}
	d.Keys("dit", "enter")
	if got := f.sw.Root("prod").Filter(); got != "credit" {
		t.Fatalf("prod's filter = %q, want the one typed", got)
	}
	// The filter bar closed, the line under it says where to go.
	d.Until("ready said", within, func() bool { return d.Shows("staging is ready: :ctx staging") })
	f.switchTo("staging")
}

// Untouched, a slow context is shown when it has started.
func TestSlowContextShownWhenIdle(t *testing.T) {
	f := newFixture(t, 120, 30)
	release := blockingOpen(f)
	d := f.start()
	d.Command("ctx staging")
	d.Until("staging starting", within, func() bool { return d.Shows("starting context staging") })
	release()
	d.Until("staging shown", within, func() bool { return f.sw.Shown() == "staging" })
}

// planGate is actions whose plans wait for a release.
type planGate struct {
	fakeActions
	release chan struct{}
}

func (p planGate) Plan(_ context.Context, req actions.Request) (actions.Plan, error) {
	<-p.release
	return actions.Plan{Action: req.Action, Model: req.Model}, nil
}

// An action asked for in one context and not confirmed when another is
// shown is cancelled, not left armed out of sight for when the user
// comes back.
func TestHiddenContextCancelsItsAction(t *testing.T) {
	f := newFixture(t, 120, 30)
	gate := planGate{release: make(chan struct{})}
	o := f.options("prod")
	o.Actions = gate
	f.sw = New(Options{Contexts: f.ctxs, Current: "prod", First: o, Open: f.open})
	f.sw.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	d := f.start()
	d.Until("fleet drawn", within, func() bool { return f.sw.Root("prod").FleetSelected() != "" })
	d.Keys("R")
	f.switchTo("staging")
	close(gate.release)
	f.switchTo("prod")
	d.Until("the cancel said, or the dialog open", within, func() bool {
		model, _ := f.sw.Root("prod").ActionDialog()
		return d.Shows("cancelled") || model != ""
	})
	if model, _ := f.sw.Root("prod").ActionDialog(); model != "" {
		t.Fatalf("prod's dialog for %s is open after the context was left", model)
	}
}

// rollbackOnly and retrainOnly are two contexts' actions with their own keys.
type retrainOnly struct{ fakeActions }

func (retrainOnly) Specs() []actions.Spec {
	return []actions.Spec{{Action: actions.Retrain, Title: "Retrain", Key: "T", Role: config.RoleOperator}}
}
func (retrainOnly) AuditRecords(audit.Filter) ([]audit.Record, int, error) { return nil, 0, nil }

// The merged view refuses the keys of a context started after it was
// first shown.
func TestMergedViewRefusesLaterContextsKeys(t *testing.T) {
	f := newFixture(t, 160, 30)
	release := blockingOpen(f)
	open := f.sw.opts.Open
	f.sw.opts.Open = func(ctx context.Context, name string) (root.Options, error) {
		o, err := open(ctx, name)
		o.Actions = retrainOnly{}
		return o, err
	}
	d := f.start()
	d.Command("ctx all")
	d.Until("the merged view", within, func() bool { return f.sw.Shown() == common.AllContexts })
	release()
	d.Until("staging started", within, func() bool { return f.sw.Root("staging") != nil })
	var keys []string
	for _, s := range f.sw.Root(common.AllContexts).Common().Actions.Specs() {
		keys = append(keys, s.Key)
	}
	if len(keys) != 2 {
		t.Fatalf("the merged view refuses keys %v, want prod's R and staging's T", keys)
	}
}

// :ctx all says at once that a context failed to start, and that one is
// starting, instead of its last word.
func TestMergedViewFollowsStarts(t *testing.T) {
	f := newFixture(t, 160, 30)
	fail := make(chan struct{})
	f.sw.opts.Open = func(ctx context.Context, name string) (root.Options, error) {
		<-fail
		return root.Options{}, errors.New("connection refused")
	}
	d := f.start()
	d.Command("ctx all")
	staging := func() string {
		if s := allSnapshot(f); s != nil {
			for _, src := range s.Sources {
				if src.Name == "staging" {
					return src.Error
				}
			}
		}
		return ""
	}
	d.Until("staging starting", within, func() bool { return staging() == "starting: no poll yet" })
	close(fail)
	d.Until("staging failed", within, func() bool { return staging() == "failed to start: connection refused" })
}
