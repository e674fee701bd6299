package actions

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// clock is a test's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// twoPerson is a store over an executor whose retrain (a webhook to rc)
// needs a second operator on risk_tier high models.
func twoPerson(t *testing.T) (fixture, *Approvals, *receiver, *clock) {
	t.Helper()
	rc := newReceiver(t, nil)
	clk := &clock{t: time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)}
	f := newFixture(t, config.Actions{
		Retrain:       config.Action{Kind: kindWebhook, URL: rc.URL},
		RequireReason: true,
		TwoPerson:     map[string][]string{"risk_tier": {"high"}},
		ApprovalTTL:   15 * time.Minute,
	}, nil, func(o *Options) { o.Now = clk.now })
	return f, NewApprovals(f.ex), rc, clk
}

func highRisk() *fleet.Model {
	m := driftingModel()
	m.Tags = map[string]string{"risk_tier": "high"}
	return m
}

var (
	ana  = Actor{User: "ana", Role: config.RoleOperator}
	ben  = Actor{User: "ben", Role: config.RoleOperator}
	vera = Actor{User: "vera", Role: config.RoleViewer}
)

func holdRetrain(t *testing.T, a *Approvals, id string) Result {
	t.Helper()
	res, held := a.Hold(ctx(t), Request{ID: id, Action: Retrain, Model: "churn-predictor",
		Reason: "drift on tenure", Confirm: "churn-predictor", Actor: ana, Snapshot: highRisk()})
	if !held || res.Outcome != Awaiting || !res.Recorded {
		t.Fatalf("held %v, result %+v", held, res)
	}
	return res
}

func TestApprovalApprovedSendsOnceNamingBoth(t *testing.T) {
	f, a, rc, _ := twoPerson(t)
	holdRetrain(t, a, "mltop-0000000000000001")
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("held request sent %d requests", n)
	}
	if l := a.List(); len(l) != 1 || l[0].Request.Actor.User != "ana" || l[0].Request.Reason != "drift on tenure" {
		t.Fatalf("pending %+v", l)
	}
	if res := a.Approve(ctx(t), "mltop-0000000000000001", ana); res.Outcome != Refused || !strings.Contains(res.Message, "second operator") {
		t.Errorf("self-approval: %+v", res)
	}
	if res := a.Approve(ctx(t), "mltop-0000000000000001", vera); res.Outcome != Refused || !strings.Contains(res.Message, "operator role") {
		t.Errorf("viewer approval: %+v", res)
	}
	if len(a.List()) != 1 {
		t.Fatal("a refused approval dropped the request")
	}
	var wg sync.WaitGroup
	results := make([]Result, 2)
	for i := range results {
		wg.Go(func() { results[i] = a.Approve(ctx(t), "mltop-0000000000000001", ben) })
	}
	wg.Wait()
	if n := len(rc.requests()); n != 1 {
		t.Fatalf("two approvals sent %d requests, want 1", n)
	}
	ok := 0
	for _, r := range results {
		if r.Outcome == Succeeded {
			ok++
		}
	}
	if ok != 1 {
		t.Errorf("results %+v, want one success", results)
	}
	got := f.states(t, "mltop-0000000000000001")
	want := []audit.State{audit.AwaitingApproval, audit.Approved, audit.Requested, audit.Succeeded}
	if !slicesEqual(got, want) {
		t.Errorf("states %v, want %v", got, want)
	}
	for _, r := range f.records(t) {
		switch r.State {
		case audit.Approved:
			if r.Actor.User != "ben" || r.RequestedBy != "ana" {
				t.Errorf("approved record %+v", r)
			}
		case audit.Requested, audit.Succeeded:
			if r.Actor.User != "ana" || r.ApprovedBy != "ben" || r.Approval != "mltop-0000000000000001" {
				t.Errorf("%s record %+v does not name both", r.State, r)
			}
		}
	}
	if ns, _ := a.Notices("ana", 0); len(ns) != 1 || ns[0].State != audit.Approved || ns[0].By != "ben" || ns[0].Result.Outcome != Succeeded {
		t.Errorf("notices %+v", ns)
	}
}

func TestApprovalRejectedAndExpired(t *testing.T) {
	f, a, rc, clk := twoPerson(t)
	holdRetrain(t, a, "mltop-0000000000000002")
	holdRetrain(t, a, "mltop-0000000000000003")
	if res := a.Reject("mltop-0000000000000002", vera, "no"); res.Outcome != Refused || len(a.List()) != 2 {
		t.Errorf("a viewer rejected: %+v", res)
	}
	if res := a.Reject("mltop-0000000000000002", ben, "wait for the label backfill"); !res.Recorded {
		t.Errorf("reject %+v", res)
	}
	clk.add(14 * time.Minute)
	if l := a.List(); len(l) != 1 {
		t.Fatalf("before its time: %d waiting", len(l))
	}
	clk.add(time.Minute)
	if l := a.List(); len(l) != 0 {
		t.Fatalf("after its time: %d waiting", len(l))
	}
	if res := a.Approve(ctx(t), "mltop-0000000000000003", ben); res.Outcome != Refused || !strings.Contains(res.Message, "not waiting") {
		t.Errorf("approving an expired request: %+v", res)
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("sent %d requests", n)
	}
	if got := f.states(t, "mltop-0000000000000002"); !slicesEqual(got, []audit.State{audit.AwaitingApproval, audit.Rejected}) {
		t.Errorf("rejected: states %v", got)
	}
	if got := f.states(t, "mltop-0000000000000003"); !slicesEqual(got, []audit.State{audit.AwaitingApproval, audit.Expired}) {
		t.Errorf("expired: states %v", got)
	}
	ns, _ := a.Notices("ana", 0)
	if len(ns) != 2 || ns[0].State != audit.Rejected || ns[0].Reason != "wait for the label backfill" || ns[1].State != audit.Expired {
		t.Errorf("notices %+v", ns)
	}
}

func TestTwoPersonExecuteNeedsRecordedApproval(t *testing.T) {
	f, _, rc, clk := twoPerson(t)
	run := func(approval string, who Actor) Result {
		return f.ex.Execute(ctx(t), Request{Action: Retrain, Model: "churn-predictor", Reason: "drift",
			Confirm: "churn-predictor", Actor: who, Snapshot: highRisk(), Approval: approval})
	}
	if res := run("", ana); res.Outcome != Refused || !strings.Contains(res.Message, "second operator") {
		t.Errorf("without approval: %+v", res)
	}
	approval := func(id, by, model string, at time.Time) {
		t.Helper()
		if err := f.log.Append(audit.Record{Time: at, ID: id, State: audit.Approved, Actor: Actor{User: by, Role: config.RoleOperator},
			Action: Retrain, Model: model, RequestedBy: "ana"}); err != nil {
			t.Fatal(err)
		}
	}
	approval("mltop-a1", "ana", "churn-predictor", clk.now())
	approval("mltop-a2", "ben", "payments-fraud", clk.now())
	approval("mltop-a3", "ben", "churn-predictor", clk.now().Add(-20*time.Minute))
	approval("mltop-a4", "ben", "churn-predictor", clk.now())
	for id, want := range map[string]string{"mltop-none": "no approval", "mltop-a1": "own", "mltop-a2": "payments-fraud", "mltop-a3": "expired"} {
		if res := run(id, ana); res.Outcome != Refused || !strings.Contains(res.Message, want) {
			t.Errorf("approval %s: %+v, want a refusal with %q", id, res, want)
		}
	}
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("refusals sent %d requests", n)
	}
	res := run("mltop-a4", ana)
	if res.Outcome != Succeeded {
		t.Fatalf("with ben's approval: %+v", res)
	}
	if res := run("mltop-a4", ana); res.Outcome != Refused || !strings.Contains(res.Message, "already used") {
		t.Errorf("approval used twice: %+v", res)
	}
	if n := len(rc.requests()); n != 1 {
		t.Errorf("sent %d requests, want 1", n)
	}
}

func slicesEqual[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A request held in a context that became read-only since is refused on
// approval naming the context, as every other refusal there does.
func TestApprovalInReadOnlyContextNamesIt(t *testing.T) {
	_, a, rc, _ := twoPerson(t)
	holdRetrain(t, a, "mltop-0000000000000001")
	a.e.readOnly, a.e.context = true, "prod-eu"
	res := a.Approve(ctx(t), "mltop-0000000000000001", ben)
	if res.Outcome != Refused || !strings.Contains(res.Message, "context prod-eu is read-only") {
		t.Errorf("approval in a read-only context: %+v", res)
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("a refused approval sent %d requests", n)
	}
}
