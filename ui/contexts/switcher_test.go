package contexts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/root"
)

// A snapshot of prod arriving while staging is shown reaches prod's root
// only: staging's screen does not change, prod's does.
func TestSnapshotReachesItsOwnContextOnly(t *testing.T) {
	f := newFixture(t, 120, 30)
	d := f.start()
	f.switchTo("staging")
	f.publish("staging", fleetOf("staging"))
	d.Until("staging's fleet drawn", within, func() bool { return d.Shows("image-tagger") })
	before := f.sw.Root("staging").Common().Snapshot

	late := fleetOf("prod")
	late.TakenAt = late.TakenAt.Add(time.Minute)
	late.Models[0].Name = "prod-only-newcomer"
	f.publish("prod", late)

	// The clock ticks on (ages may move); what staging shows may not.
	if s := f.sw.Root("staging").Common().Snapshot; s != before || s.Context != "staging" {
		t.Fatalf("staging's root took another snapshot, of %q", s.Context)
	}
	for _, m := range append([]string{"prod-only-newcomer"}, "credit-risk", "search-ranker") {
		if d.Shows(m) {
			t.Fatalf("staging's screen shows prod's %s:\n%s", m, d.Plain())
		}
	}
	if !d.Shows("staging", "image-tagger") {
		t.Fatalf("staging's screen lost its own fleet:\n%s", d.Plain())
	}
	f.switchTo("prod")
	d.Until("prod's new snapshot drawn", within, func() bool { return d.Shows("prod-only-newcomer") })
	if d.Shows("image-tagger") {
		t.Fatalf("prod shows staging's model:\n%s", d.Plain())
	}
}

// Each context keeps its own filter and cursor across switches.
func TestContextsKeepTheirFilterAndCursor(t *testing.T) {
	f := newFixture(t, 120, 30)
	d := f.start()
	d.Keys("/", "credit", "enter")
	if got := f.sw.Root("prod").Filter(); got != "credit" {
		t.Fatalf("prod's filter = %q", got)
	}
	f.switchTo("staging")
	f.publish("staging", fleetOf("staging"))
	if got := f.sw.Root("staging").Filter(); got != "" {
		t.Fatalf("staging took prod's filter %q", got)
	}
	d.Until("staging's whole fleet", within, func() bool { return d.Shows("image-tagger", "eta-predictor") })
	d.Keys("down", "down")
	cursor := selected(f, "staging")

	f.switchTo("prod")
	if got := f.sw.Root("prod").Filter(); got != "credit" {
		t.Fatalf("prod's filter after the round trip = %q", got)
	}
	d.Until("prod filtered", within, func() bool { return d.Shows("credit-risk") && !d.Shows("payments-fraud") })
	f.switchTo("staging")
	if got := selected(f, "staging"); got != cursor || got == "" {
		t.Fatalf("staging's cursor moved from %q to %q", cursor, got)
	}
}

// selected is the model under a context's fleet cursor.
func selected(f *fixture, name string) string {
	return f.sw.Root(name).FleetSelected()
}

// Contexts open when first shown, once.
func TestContextsOpenLazilyOnce(t *testing.T) {
	f := newFixture(t, 120, 30)
	d := f.start()
	if f.opened("staging") != 0 || f.opened("prod") != 0 {
		t.Fatalf("opened before shown: %v", f.opens)
	}
	if f.sw.Root("staging") != nil {
		t.Fatal("staging has a root before it was shown")
	}
	f.switchTo("staging")
	f.switchTo("prod")
	f.switchTo("staging")
	if n := f.opened("staging"); n != 1 {
		t.Fatalf("staging opened %d times", n)
	}
	if n := f.opened("prod"); n != 0 {
		t.Fatalf("prod, started by the caller, opened %d times", n)
	}
	_ = d
}

// :ctx lists the contexts with their health and switches on enter.
func TestContextsListSwitches(t *testing.T) {
	f := newFixture(t, 120, 30)
	d := f.start()
	d.Command("ctx")
	d.Until("the list", within, func() bool { return d.Shows("CONTEXT", "prod.example:9090", "not started") })
	d.Keys("down", "enter")
	d.Until("staging shown", within, func() bool { return f.sw.Shown() == "staging" })
	if st := f.sw.Root("prod").Stack(); len(st) != 1 {
		t.Fatalf("prod kept the list open: %v", st)
	}
}

// :ctx all merges the fleets with a CTX column; action keys say why they
// do nothing; enter opens the model in its own context.
func TestAllContextsView(t *testing.T) {
	f := newFixture(t, 160, 30)
	d := f.start()
	d.Command("ctx all")
	d.Until("staging started", within, func() bool { return f.sw.Root("staging") != nil })
	f.publish("staging", fleetOf("staging"))
	d.Until("both fleets with CTX", within, func() bool {
		return d.Shows("CTX", "payments-fraud", "image-tagger", "staging", "prod")
	})
	if n := f.opened("staging"); n != 1 {
		t.Fatalf(":ctx all opened staging %d times", n)
	}
	d.Keys("R")
	d.Until("the refusal", within, func() bool { return d.Shows("actions never cross contexts") })

	sel := f.sw.Root(common.AllContexts).FleetSelected()
	ctx, model, ok := strings.Cut(sel, "/")
	if !ok {
		t.Fatalf("merged name %q has no context", sel)
	}
	d.Keys("enter")
	d.Until("the model open in its context", within, func() bool { return f.sw.Shown() == ctx })
	if st := f.sw.Root(ctx).Stack(); len(st) != 2 || st[1] != model {
		t.Fatalf("%s's stack = %v, want the detail of %s", ctx, st, model)
	}
}

// A context that fails to start says why, and the shown one stays.
func TestContextFailsToStart(t *testing.T) {
	f := newFixture(t, 120, 30)
	f.sw.opts.Open = func(context.Context, string) (root.Options, error) {
		return root.Options{}, errors.New("prometheus.url: connection refused")
	}
	d := f.start()
	d.Command("ctx staging")
	d.Until("the failure said", within, func() bool { return d.Shows("context staging: failed to start") })
	if f.sw.Shown() != "prod" || f.sw.Root("staging") != nil {
		t.Fatalf("shown %q after a failed start", f.sw.Shown())
	}
	d.Command("ctx")
	d.Until("the list says failed", within, func() bool { return d.Shows("failed", "connection refused") })
}
