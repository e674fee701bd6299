package chaos

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/internal/wiring"
)

// The limits every case runs under: the configured query and action
// timeouts, the poll's own deadline, and what a case may take beyond them:
// merging 100,000 series under the race detector on two busy cores takes
// seconds. A hang is minutes.
const (
	queryTimeout  = 1 * time.Second
	actionTimeout = 1 * time.Second
	pollDeadline  = 3 * time.Second
	slack         = 6 * time.Second
	maxHeapMiB    = 300
	maxAnswerMiB  = 64 // prometheus.max_answer_mib
)

// world starts the fakes a case names and returns the app its config
// builds; every fake closes with the test.
type world struct {
	prom   PromMode
	mlflow MLflowMode
	target ScrapeMode
	hook   int // the retrain webhook's status; 0 = none
}

func (w world) app(t *testing.T) (*wiring.App, *MLflow) {
	t.Helper()
	done := make(chan struct{})
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "refresh: 2s\naudit: {path: %s}\n", filepath.Join(dir, "audit.jsonl"))
	if w.prom != "" {
		p := NewPrometheus(w.prom, done)
		t.Cleanup(p.Close)
		fmt.Fprintf(&b, "prometheus: {url: %s, timeout: %s, max_answer_mib: %d}\n", p.URL, queryTimeout, maxAnswerMiB)
	}
	if w.target != "" {
		s := NewTarget(w.target, done)
		t.Cleanup(s.Close)
		fmt.Fprintf(&b, "scrape: {interval: 1s, timeout: 1s, targets: [%s]}\n", s.URL)
	}
	var m *MLflow
	if w.mlflow != "" {
		m = NewMLflow(w.mlflow, done)
		t.Cleanup(m.Close)
		fmt.Fprintf(&b, "mlflow: {tracking_uri: %s}\n", m.URL)
	}
	b.WriteString("actions:\n")
	if w.mlflow != "" {
		fmt.Fprintf(&b, "  rollback: {kind: mlflow-alias, timeout: %s}\n", actionTimeout)
	}
	if w.hook != 0 {
		h := NewWebhook(w.hook, `{"message":"pipeline says `+strings.ReplaceAll(fmt.Sprintf("%q", Hostile), `"`, ``)+`"}`)
		t.Cleanup(h.Close)
		fmt.Fprintf(&b, "  retrain: {kind: webhook, url: %s, timeout: %s}\n", h.URL, actionTimeout)
	}
	// Closed first (cleanups run last in, first out): a slow handler
	// returns before its server waits for it.
	t.Cleanup(func() { close(done) })
	path := filepath.Join(dir, "mltop.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatalf("config:\n%s\n%v", b.String(), err)
	}
	a, err := wiring.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return a, m
}

// pollCase is one fault and what one poll under it must show.
type pollCase struct {
	name   string
	world  world
	source string // the source the fault is in
	ok     bool   // whether that source answers
	either bool   // it may answer or time out (a huge answer on a slow machine)
	says   string // in its error or warnings, when not ""
	saysOr string // or this instead, when not ""
	// unbounded, when set, says why the heap bound is only logged.
	unbounded string
}

// TestPollerUnderFaults polls once, with a deadline, against every fault
// mode of every source: the poll returns within its limit, the heap stays
// bounded, and each error is one plain line.
func TestPollerUnderFaults(t *testing.T) {
	var cases []pollCase
	for _, m := range PromModes {
		c := pollCase{name: "prometheus " + string(m), world: world{prom: m, mlflow: MLflowGood}, source: "prometheus"}
		switch m {
		case PromNaN, PromDuplicate, PromWarnings:
			c.ok = true
		case PromHuge:
			c.either = true
		}
		if PromUnbounded(m) {
			c.unbounded = HeapUnbounded
		}
		switch m {
		case PromWarnings:
			c.says = "partial response"
		case PromSlow:
			c.says = "timed out"
		case PromEndless:
			// The limit, or under -race on a busy machine the time-out first.
			c.says, c.saysOr = "max_answer_mib", "timed out"
		}
		cases = append(cases, c)
	}
	for _, m := range MLflowModes {
		c := pollCase{name: "mlflow " + string(m), world: world{prom: PromGood, mlflow: m}, source: "mlflow"}
		switch m {
		case MLflowSlowWrites, MLflowPost5xx, MLflowPost4xx, MLflowPostReset, MLflowHostile:
			c.ok = true
		case MLflowMany:
			// Read in full, or still reading when the poll's deadline
			// comes (with -race on two cores), saying how far it got.
			c.either = true
		}
		cases = append(cases, c)
	}
	for _, m := range ScrapeModes {
		// A target that fails is down: the engine is not OK, and says why.
		c := pollCase{name: "scrape " + string(m), world: world{target: m, mlflow: MLflowGood}, source: "embedded", says: "1/1 targets down"}
		if m == ScrapeHuge {
			c.either, c.says = true, "" // read, or past the scrape timeout on a slow machine
		}
		cases = append(cases, c)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, _ := c.world.app(t)
			heap := StartHeapPeak()
			ctx, cancel := context.WithTimeout(t.Context(), pollDeadline)
			defer cancel()
			start := time.Now()
			if a.Engine != nil {
				_ = a.Engine.ScrapeOnce(ctx)
			}
			snap := a.Poller.PollOnce(ctx)
			took := time.Since(start)
			mib := heap.Stop()
			t.Logf("took %s, heap grew by %.1f MiB at most", took.Round(time.Millisecond), mib)
			if took > pollDeadline+slack {
				t.Errorf("the poll took %s, past its deadline %s (+%s)", took, pollDeadline, slack)
			}
			if mib > maxHeapMiB && c.unbounded != "" {
				t.Logf("the heap grew by %.0f MiB, over %d: %s", mib, maxHeapMiB, c.unbounded)
			} else if mib > maxHeapMiB {
				t.Errorf("the heap grew by %.0f MiB, over %d", mib, maxHeapMiB)
			}
			src, found := sourceOf(snap, c.source)
			if !found {
				t.Fatalf("no source %q in %+v", c.source, snap.Sources)
			}
			if src.OK != c.ok && !c.either {
				t.Errorf("source %s ok=%v, want %v (error %q)", c.source, src.OK, c.ok, src.Error)
			}
			all := src.Error + " " + strings.Join(src.Warnings, " ")
			for _, q := range snap.Queries {
				all += " " + q.Error
			}
			if c.says != "" && !strings.Contains(all, c.says) && (c.saysOr == "" || !strings.Contains(all, c.saysOr)) {
				t.Errorf("nothing says %q: %q", c.says, all)
			}
			assertPlainErrors(t, snap)
		})
	}
}

func sourceOf(s fleet.Snapshot, name string) (fleet.SourceStatus, bool) {
	for _, src := range s.Sources {
		if src.Name == name || src.Kind == name {
			return src, true
		}
	}
	return fleet.SourceStatus{}, false
}

// assertPlainErrors fails for every source or query error that, cleaned as
// every printer cleans it, is not one plain line.
func assertPlainErrors(t *testing.T, s fleet.Snapshot) {
	t.Helper()
	for _, src := range s.Sources {
		if why := PlainLine(termsafe.Clean(src.Error)); why != "" {
			t.Errorf("source %s: error %s", src.Name, why)
		}
		for _, w := range src.Warnings {
			if why := PlainLine(termsafe.Clean(w)); why != "" {
				t.Errorf("source %s: warning %s", src.Name, why)
			}
		}
	}
	for _, q := range s.Queries {
		if why := PlainLine(termsafe.Clean(q.Error)); why != "" {
			t.Errorf("query %s: error %s", q.Name, why)
		}
	}
}

// TestActionsUnderFaults runs a rollback against every MLflow mode and a
// retrain against failing webhooks: each ends within its time limit with
// the outcome an operator must see, a one-line plain message, and at most
// one write.
func TestActionsUnderFaults(t *testing.T) {
	cases := []struct {
		name    string
		world   world
		action  string
		outcome actions.Outcome
		writes  int64 // POSTs the registry may have seen at most
	}{
		{name: "rollback, mlflow good", world: world{mlflow: MLflowGood}, action: actions.Rollback, outcome: actions.Succeeded, writes: 1},
		{name: "rollback, mlflow garbage", world: world{mlflow: MLflowGarbage}, action: actions.Rollback, outcome: actions.Failed},
		{name: "rollback, mlflow html", world: world{mlflow: MLflowHTML}, action: actions.Rollback, outcome: actions.Failed},
		{name: "rollback, mlflow 429 loop", world: world{mlflow: MLflowRateLimit}, action: actions.Rollback, outcome: actions.Failed},
		{name: "rollback, mlflow 503", world: world{mlflow: MLflowDown}, action: actions.Rollback, outcome: actions.Failed},
		{name: "rollback, mlflow slow writes", world: world{mlflow: MLflowSlowWrites}, action: actions.Rollback, outcome: actions.Unknown, writes: 1},
		{name: "rollback, mlflow 5xx on post", world: world{mlflow: MLflowPost5xx}, action: actions.Rollback, outcome: actions.Failed, writes: 1},
		{name: "rollback, mlflow 4xx on post", world: world{mlflow: MLflowPost4xx}, action: actions.Rollback, outcome: actions.Failed, writes: 1},
		{name: "rollback, mlflow reset on post", world: world{mlflow: MLflowPostReset}, action: actions.Rollback, outcome: actions.Unknown, writes: 1},
		{name: "rollback, mlflow hostile text", world: world{mlflow: MLflowHostile}, action: actions.Rollback, outcome: actions.Succeeded, writes: 1},
		{name: "retrain, webhook 500", world: world{mlflow: MLflowGood, hook: 500}, action: actions.Retrain, outcome: actions.Failed},
		{name: "retrain, webhook 400", world: world{mlflow: MLflowGood, hook: 400}, action: actions.Retrain, outcome: actions.Failed},
		{name: "retrain, webhook 202", world: world{mlflow: MLflowGood, hook: 202}, action: actions.Retrain, outcome: actions.Succeeded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, reg := c.world.app(t)
			model := "fraud"
			if c.world.mlflow == MLflowHostile {
				model += Hostile
			}
			req := actions.Request{Action: c.action, Model: model, Reason: "chaos", Confirm: model,
				Actor: actions.Actor{User: "chaos", Role: config.RoleOperator}}
			if c.action == actions.Rollback {
				req.To = "1"
			}
			// Planning reads the registry (bounded by the client's own
			// timeout); executing sends one request bounded by the action's.
			limit := pollDeadline + 2*actionTimeout
			ctx, cancel := context.WithTimeout(t.Context(), limit)
			defer cancel()
			start := time.Now()
			var res actions.Result
			plan, err := a.Actions.Plan(ctx, req)
			if err != nil {
				res = actions.Result{Outcome: actions.Failed, Message: err.Error()}
			} else {
				req.ID = plan.ID
				res = a.Actions.Execute(ctx, req)
			}
			took := time.Since(start)
			t.Logf("%s in %s: %s", res.Outcome, took.Round(time.Millisecond), res.Message)
			if took > limit+slack {
				t.Errorf("took %s, past %s (+%s)", took, limit, slack)
			}
			if res.Outcome != c.outcome {
				t.Errorf("outcome %s, want %s (%s)", res.Outcome, c.outcome, res.Message)
			}
			if why := PlainLine(termsafe.Clean(res.Message)); why != "" {
				t.Errorf("message %s", why)
			}
			if why := PlainLine(termsafe.Clean(res.Check)); why != "" {
				t.Errorf("check %s", why)
			}
			if reg != nil && reg.Writes.Load() > c.writes {
				t.Errorf("the registry saw %d writes, want at most %d: an action is sent once", reg.Writes.Load(), c.writes)
			}
		})
	}
}
