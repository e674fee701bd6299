package actions

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// run is an AnalysisRun as the API lists it, owned by the Rollout named
// owner (uid u1).
func run(name, owner, created, typ, phase, metrics string) string {
	return fmt.Sprintf(`{"metadata":{"name":%q,"creationTimestamp":%q,"labels":{"rollouts-pod-template-hash":"b","rollout-type":%q},
	 "ownerReferences":[{"kind":"Rollout","name":%q,"uid":"u1"}]},
	 "status":{"phase":%q,"message":"m-%s","metricResults":[%s]}}`, name, created, typ, owner, phase, name, metrics)
}

// The inspection reads the Rollout and lists the runs of its revision
// (by the pod-template hash label), keeps only those the Rollout owns,
// oldest first, each metric with its latest measurement and counts.
func TestInspectRollout(t *testing.T) {
	f := newFakeKube(t)
	f.obj = strings.Replace(fakeRollout, `"resourceVersion":"7"`, `"resourceVersion":"7","uid":"u1"`, 1)
	f.runs = `{"items":[` + strings.Join([]string{
		run("fraud-b-3-1", "fraud", "2026-12-07T05:52:00Z", "Step", "Failed",
			`{"name":"error-rate","phase":"Failed","count":2,"failed":2,"measurements":[{"value":"0.02"},{"value":"0.031"}]},
			 {"name":"latency","phase":"Error","count":1,"error":1,"message":"Post \"http://prom\": connection refused","measurements":[{"phase":"Error"}]}`),
		run("fraud-b-2", "fraud", "2026-12-07T05:40:00Z", "Background", "Running", `{"name":"verdict","phase":"Running","count":1,"successful":1,"measurements":[{"value":"[1]"}]}`),
		run("other-b-1", "other", "2026-12-07T05:30:00Z", "Step", "Failed", ``),
	}, ",") + `]}`
	e := f.executor(t)
	ins, err := e.InspectRollout(context.Background(), "fraud", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !ins.Found || ins.Rollout != "default/fraud" || ins.Phase != "Paused" || ins.Step != "1/3" {
		t.Errorf("inspection %+v", ins)
	}
	if want := "paused by a person; CanaryPauseStep since 05:50 UTC until promoted"; ins.Paused != want {
		t.Errorf("paused %q; want %q", ins.Paused, want)
	}
	if len(f.queries) != 1 || f.queries[0] != "labelSelector="+url.QueryEscape("rollouts-pod-template-hash=b") {
		t.Errorf("the runs were listed with %q; want the revision's pod-template hash", f.queries)
	}
	var got []string
	for _, r := range ins.Analysis {
		s := fmt.Sprintf("%s %s %s %q:", r.Name, r.Type, r.Phase, r.Message)
		for _, m := range r.Metrics {
			s += fmt.Sprintf(" %s=%s[%s %d/%d/%d %q]", m.Name, m.Phase, m.Measured, m.Count, m.Failed, m.Error, m.Message)
		}
		got = append(got, s)
	}
	want := []string{
		`fraud-b-2 Background Running "m-fraud-b-2": verdict=Running[[1] 1/0/0 ""]`,
		`fraud-b-3-1 Step Failed "m-fraud-b-3-1": error-rate=Failed[0.031 2/2/0 ""] latency=Error[ 1/0/1 "Post \"http://prom\": connection refused"]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("runs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// One read serves every dashboard within a refresh.
	gets := len(f.gets)
	if _, err := e.InspectRollout(context.Background(), "fraud", nil); err != nil || len(f.gets) != gets {
		t.Errorf("a second inspection within the refresh made %d more reads (err %v); want 0", len(f.gets)-gets, err)
	}
}

// Without the right to list runs, the rollout is still shown and the page
// says which RBAC rule is missing; a missing rollout is said, not failed.
func TestInspectRolloutRefusals(t *testing.T) {
	f := newFakeKube(t)
	e := f.executor(t)
	ins, err := e.InspectRollout(context.Background(), "fraud", nil)
	if err != nil || !ins.Found {
		t.Fatalf("inspection %+v, %v", ins, err)
	}
	if want := "list analysis runs: HTTP 403 Forbidden: the token may not list analysisruns in default (RBAC)"; !strings.HasPrefix(ins.AnalysisErr, want) {
		t.Errorf("analysis error %q; want %q…", ins.AnalysisErr, want)
	}

	f.mu.Lock()
	f.missing = true
	f.mu.Unlock()
	e = f.executor(t)
	ins, err = e.InspectRollout(context.Background(), "fraud", map[string]string{RolloutTag: "prod/fraud-canary"})
	if err != nil || ins.Found || ins.NotFound != "rollout prod/fraud-canary not found on "+strings.TrimPrefix(f.URL, "https://") {
		t.Errorf("inspection of a missing rollout: %+v, %v", ins, err)
	}

	none, err := New(Options{Audit: f.executor(t).audit})
	if err != nil {
		t.Fatal(err)
	}
	if none.InspectsRollouts() {
		t.Error("an executor without an argo-rollouts action says it inspects rollouts")
	}
	if _, err := none.InspectRollout(context.Background(), "fraud", nil); err != ErrNoRolloutAPI {
		t.Errorf("err %v; want ErrNoRolloutAPI", err)
	}
}

// A read outlives its ttl only until the next one is kept: models gone
// from the registry do not pile up in a server that runs for months.
func TestInspectCacheDropsStaleReads(t *testing.T) {
	c := inspectCache{ttl: 2 * time.Second}
	t0 := time.Now()
	c.put("gone\x00", inspected{at: t0.Add(-3 * time.Second)})
	c.put("fresh\x00", inspected{at: t0.Add(-time.Second)})
	if _, ok := c.get("gone\x00"); ok {
		t.Error("a read older than the ttl answered")
	}
	if _, ok := c.get("fresh\x00"); !ok {
		t.Error("a read within the ttl did not answer")
	}
	c.put("fraud\x00", inspected{at: t0})
	if _, kept := c.seen["gone\x00"]; kept || len(c.seen) != 2 {
		t.Errorf("after a put the cache holds %d reads (stale kept: %v); want the 2 within the ttl", len(c.seen), kept)
	}
}

// Dashboards asking at once while a read is in flight share it: one GET of
// the Rollout however many sessions look.
func TestInspectRolloutSharesTheReadInFlight(t *testing.T) {
	f := newFakeKube(t)
	f.gate = make(chan struct{})
	e := f.executor(t)
	const sessions = 8
	var started, done sync.WaitGroup
	started.Add(sessions)
	done.Add(sessions)
	errs := make(chan error, sessions)
	for range sessions {
		go func() {
			defer done.Done()
			started.Done()
			_, err := e.InspectRollout(context.Background(), "fraud", nil)
			errs <- err
		}()
	}
	started.Wait()
	close(f.gate)
	done.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	rollouts := 0
	for _, p := range f.gets {
		if strings.Contains(p, "/rollouts/") {
			rollouts++
		}
	}
	if rollouts != 1 {
		t.Errorf("%d sessions read the Rollout %d times; want once", sessions, rollouts)
	}
}
