package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// fakeLoadTester serves the manual gating endpoints of Flagger's load
// tester as pkg/loadtester/server.go (v1.x) does: the gates are kept by
// "name.namespace" (rollback: "rollback.name.namespace"), closed until
// opened; open and close answer 202, a check 200 "Approved" or 403
// "Forbidden"; a namespace its -namespace-regexp does not match gets 403.
type fakeLoadTester struct {
	*httptest.Server
	mu        sync.Mutex
	gates     map[string]bool
	requests  []captured
	namespace *regexp.Regexp
}

func newFakeLoadTester(t *testing.T) *fakeLoadTester {
	t.Helper()
	f := &fakeLoadTester{gates: map[string]bool{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var p struct{ Name, Namespace string }
		if err := json.Unmarshal(b, &p); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		f.requests = append(f.requests, captured{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: b})
		if f.namespace != nil && !f.namespace.MatchString(p.Namespace) {
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, "Forbidden")
			return
		}
		key := p.Name + "." + p.Namespace
		if strings.HasPrefix(r.URL.Path, "/rollback/") {
			key = "rollback." + key
		}
		switch r.URL.Path {
		case "/gate/open", "/rollback/open":
			f.gates[key] = true
			w.WriteHeader(http.StatusAccepted)
		case "/gate/close", "/rollback/close":
			f.gates[key] = false
			w.WriteHeader(http.StatusAccepted)
		case "/gate/check", "/rollback/check":
			if f.gates[key] {
				_, _ = io.WriteString(w, "Approved")
				return
			}
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, "Forbidden")
		default:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, "metadata not found in payload")
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// changes are the requests that set a gate (not the checks a plan makes).
func (f *fakeLoadTester) changes() []captured {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []captured
	for _, c := range f.requests {
		if !strings.HasSuffix(c.Path, "/check") {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeLoadTester) open(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gates[key]
}

func (f *fakeLoadTester) set(key string, open bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gates[key] = open
}

func flaggerExecutor(t *testing.T, p *FlaggerParams) (*Executor, string) {
	t.Helper()
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	e, err := New(Options{Audit: audit.New(log), Actions: config.Actions{
		Rollout: config.Action{Kind: kindFlagger, Params: p}}})
	if err != nil {
		t.Fatal(err)
	}
	return e, log
}

// Each verb Flagger has a lever for sends one POST of {"name",
// "namespace"} to its gate, and the gate is then as the plan said.
func TestFlaggerVerbsSetTheGates(t *testing.T) {
	lt := newFakeLoadTester(t)
	e, _ := flaggerExecutor(t, &FlaggerParams{LoadTester: lt.URL + "/", Namespace: "ml"})
	for _, c := range []struct {
		action, path, gate string
		open               bool
		plan               string
	}{
		{RolloutPromote, "/gate/open", "fraud.ml", true, "promotion gate: closed → open"},
		{RolloutPause, "/gate/close", "fraud.ml", false, "promotion gate: open → closed"},
		{RolloutResume, "/gate/open", "fraud.ml", true, "promotion gate: closed → open"},
		{RolloutAbort, "/rollback/open", "rollback.fraud.ml", true, "rollback gate: closed → open"},
	} {
		req := Request{Action: c.action, Model: "fraud", Reason: "canary errors", Confirm: "fraud", Actor: operator}
		p, err := e.Plan(context.Background(), req)
		if err != nil || p.Refusal != "" {
			t.Fatalf("%s: plan %v, refusal %q", c.action, err, p.Refusal)
		}
		mustContain(t, c.action+" plan", strings.Join(p.Changes, "\n"), c.plan,
			"canary ml/fraud: state unknown (no kubernetes.server: the Canary is not read)",
			`sends POST `+c.path+` {"name":"fraud","namespace":"ml"}`)
		if p.Target != lt.URL+c.path {
			t.Errorf("%s: target %q", c.action, p.Target)
		}
		before := len(lt.changes())
		req.ID = p.ID
		r := e.Execute(context.Background(), req)
		if r.Outcome != Succeeded {
			t.Fatalf("%s: %s: %s", c.action, r.Outcome, r.Message)
		}
		got := lt.changes()
		if len(got) != before+1 {
			t.Fatalf("%s: %d gate requests, want one", c.action, len(got)-before)
		}
		sent := got[len(got)-1]
		if sent.Method != "POST" || sent.Path != c.path || string(sent.Body) != `{"name":"fraud","namespace":"ml"}` {
			t.Errorf("%s sent %s %s %s", c.action, sent.Method, sent.Path, sent.Body)
		}
		if lt.open(c.gate) != c.open {
			t.Errorf("%s: gate %s open=%v, want %v", c.action, c.gate, !c.open, c.open)
		}
		mustContain(t, c.action+" result", r.Message, "HTTP 202", "Flagger acts on it at its next check")
	}
}

// A viewer sees the plan but is refused, and no gate is touched.
func TestFlaggerVerbsOperatorsOnly(t *testing.T) {
	lt := newFakeLoadTester(t)
	e, _ := flaggerExecutor(t, &FlaggerParams{LoadTester: lt.URL})
	for _, action := range []string{RolloutAbort, RolloutPromote, RolloutPause, RolloutResume} {
		req := Request{Action: action, Model: "fraud", Reason: "r", Confirm: "fraud", Actor: Actor{User: "vic", Role: config.RoleViewer}}
		p, err := e.Plan(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, action, p.Refusal, "needs the operator role; vic has viewer")
		req.ID = p.ID
		if r := e.Execute(context.Background(), req); r.Outcome != Refused {
			t.Errorf("%s: viewer outcome %s (%s)", action, r.Outcome, r.Message)
		}
	}
	if n := len(lt.changes()); n != 0 {
		t.Errorf("%d gate requests for a viewer", n)
	}
}

// The audit record holds the gates before and the one set after.
func TestFlaggerAuditRecord(t *testing.T) {
	lt := newFakeLoadTester(t)
	e, log := flaggerExecutor(t, &FlaggerParams{LoadTester: lt.URL, Namespace: "ml"})
	req := Request{Action: RolloutAbort, Model: "fraud", Reason: "error rate 4 %", Confirm: "fraud", Actor: operator}
	if r := e.Execute(context.Background(), req); r.Outcome != Succeeded {
		t.Fatalf("%s: %s", r.Outcome, r.Message)
	}
	recs, _, err := audit.New(log).Read()
	if err != nil {
		t.Fatal(err)
	}
	last := recs[len(recs)-1]
	if last.Action != RolloutAbort || last.Adapter != kindFlagger || last.Reason != "error rate 4 %" || last.Actor.User != "ana" {
		t.Errorf("record %+v", last)
	}
	if last.Before["canary"] != "ml/fraud" || last.Before["rollback gate"] != "closed" || last.After["rollback gate"] != "open" {
		t.Errorf("before %v, after %v", last.Before, last.After)
	}
}

// promote --full and retry have no lever in Flagger's manual gating:
// refused in words, greyed on screen, nothing sent.
func TestFlaggerRefusesVerbsWithoutALever(t *testing.T) {
	lt := newFakeLoadTester(t)
	e, _ := flaggerExecutor(t, &FlaggerParams{LoadTester: lt.URL})
	m := &fleet.Model{Rollout: &fleet.Rollout{Phase: "Progressing"}}
	for action, why := range map[string]string{
		RolloutPromoteFull: "no lever to skip the analysis",
		RolloutRetry:       "Flagger has no retry: a failed canary runs again when its target changes",
	} {
		req := Request{Action: action, Model: "fraud", Reason: "r", Confirm: "fraud", Actor: operator}
		p, err := e.Plan(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, action+" refusal", p.Refusal, why)
		req.ID = p.ID
		if r := e.Execute(context.Background(), req); r.Outcome != Refused || !strings.Contains(r.Message, why) {
			t.Errorf("%s: %s %q", action, r.Outcome, r.Message)
		}
		s, _ := e.Spec(action)
		mustContain(t, action+" greyed", s.RolloutBlocked(m), why)
	}
	if n := len(lt.requests); n != 0 {
		t.Errorf("%d requests to the load tester for verbs it has no lever for", n)
	}
}

// The dashboard greys by what the metrics show: abort, promote and
// resume only while the canary is under way; pause also before one.
func TestFlaggerKeysByPhase(t *testing.T) {
	e, _ := flaggerExecutor(t, &FlaggerParams{LoadTester: "http://127.0.0.1:9"})
	for _, c := range []struct {
		action, phase, want string
	}{
		{RolloutAbort, "Progressing", ""},
		{RolloutAbort, "Healthy", "abort rollout only while the canary is under way"},
		{RolloutPromote, "Aborted", "promote rollout only while the canary is under way"},
		{RolloutResume, "Progressing", ""},
		{RolloutPause, "Healthy", ""},
		{RolloutPause, "Aborted", ""},
		{RolloutPause, "", "the rollout's phase is unknown"},
	} {
		s, _ := e.Spec(c.action)
		got := s.RolloutBlocked(&fleet.Model{Rollout: &fleet.Rollout{Phase: c.phase}})
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s while %q: %q, want %q", c.action, c.phase, got, c.want)
		}
	}
}

// A gate already as the verb would set it is refused, and so is a
// canary being rolled back by the gate already open.
func TestFlaggerRefusesByGate(t *testing.T) {
	lt := newFakeLoadTester(t)
	e, _ := flaggerExecutor(t, &FlaggerParams{LoadTester: lt.URL})
	lt.set("fraud.default", true)
	lt.set("rollback.fraud.default", true)
	for action, want := range map[string]string{
		RolloutPromote: "the promotion gate of fraud is already open",
		RolloutResume:  "the promotion gate of fraud is open: nothing to resume",
		RolloutAbort:   "the rollback gate of fraud is already open",
	} {
		p, err := e.Plan(context.Background(), Request{Action: action, Model: "fraud", Actor: operator})
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, action, p.Refusal, want)
	}
	p, err := e.Plan(context.Background(), Request{Action: RolloutPause, Model: "fraud", Actor: operator})
	if err != nil || p.Refusal != "" {
		t.Fatalf("pause: %v %q", err, p.Refusal)
	}
	mustContain(t, "pause plan", strings.Join(p.Changes, "\n"), "note: the rollback gate is open: Flagger rolls this canary back at its next check")
	lt.set("fraud.default", false)
	p, _ = e.Plan(context.Background(), Request{Action: RolloutPause, Model: "fraud", Actor: operator})
	mustContain(t, "pause refusal", p.Refusal, "already closed")
}

// With API access the plan shows the Canary (phase, weight, iterations,
// failed checks), says what opening the gate does in that phase, warns
// when no webhook asks the gate, and refuses a canary not under way.
func TestFlaggerPlanReadsTheCanary(t *testing.T) {
	lt := newFakeLoadTester(t)
	kube := newFakeKube(t)
	canary := func(phase, hook string) string {
		return fmt.Sprintf(`{"apiVersion":"flagger.app/v1beta1","kind":"Canary","metadata":{"name":"fraud","namespace":"ml"},
 "spec":{"analysis":{"webhooks":[{"name":"promotion gate","type":"confirm-promotion","url":"http://flagger-loadtester.test%s"}]}},
 "status":{"phase":%q,"canaryWeight":50,"iterations":5,"failedChecks":1}}`, hook, phase)
	}
	var paths []string
	kube.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		kube.mu.Lock()
		defer kube.mu.Unlock()
		_, _ = io.WriteString(w, kube.obj)
	})
	e, _ := flaggerExecutor(t, &FlaggerParams{LoadTester: lt.URL, Namespace: "ml",
		Kubernetes: KubernetesParams{Server: kube.URL, TokenFile: kube.tokFile, CAFile: kube.caFile}})
	plan := func(action string) Plan {
		t.Helper()
		p, err := e.Plan(context.Background(), Request{Action: action, Model: "fraud", Actor: operator})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	kube.obj = canary("WaitingPromotion", "/gate/check")
	p := plan(RolloutPromote)
	mustContain(t, "plan", strings.Join(p.Changes, "\n")+"\n"+p.Meaning,
		"canary ml/fraud: WaitingPromotion, canary weight 50, iteration 5, failed checks 1",
		"Flagger promotes the canary at its next check", "note: the gate stays open for later revisions until it is closed (pause)")
	if strings.Contains(strings.Join(p.Changes, "\n"), "warning") || p.Refusal != "" {
		t.Errorf("plan %q, refusal %q", p.Changes, p.Refusal)
	}
	if want := "/apis/flagger.app/v1beta1/namespaces/ml/canaries/fraud"; len(paths) == 0 || paths[0] != want {
		t.Errorf("read %v, want %s", paths, want)
	}

	p = plan(RolloutAbort)
	mustContain(t, "abort plan", strings.Join(p.Changes, "\n"), "warning: no webhook of the Canary calls the load tester's /rollback/check")

	kube.obj = canary("Succeeded", "/gate/check")
	p = plan(RolloutPromote)
	mustContain(t, "refusal", p.Refusal, "promote applies only while a canary is waiting or progressing", "fraud is Succeeded")

	kube.obj = "not json"
	p = plan(RolloutPause)
	mustContain(t, "unreadable canary", strings.Join(p.Changes, "\n"), "canary ml/fraud: state unknown (the Canary could not be read")
}

// Errors in plain words: the load tester's namespace filter, a URL that
// is not a load tester, and one that does not answer (nothing planned).
func TestFlaggerErrorsInPlainWords(t *testing.T) {
	lt := newFakeLoadTester(t)
	lt.namespace = regexp.MustCompile("^prod$")
	e, _ := flaggerExecutor(t, &FlaggerParams{LoadTester: lt.URL, Namespace: "ml"})
	// Its check answers 403 to a filtered namespace as to a closed gate,
	// so the plan reads "closed"; the open is refused in words.
	r := e.Execute(context.Background(), Request{Action: RolloutPromote, Model: "fraud", Reason: "r", Confirm: "fraud", Actor: operator})
	if r.Outcome != Failed || !strings.Contains(r.Message, "the load tester refuses namespace ml (its -namespace-regexp does not match it)") {
		t.Errorf("namespace filter: %s %q", r.Outcome, r.Message)
	}

	notLT := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notLT.Close)
	e, _ = flaggerExecutor(t, &FlaggerParams{LoadTester: notLT.URL})
	_, err := e.Plan(context.Background(), Request{Action: RolloutPause, Model: "fraud", Actor: operator})
	if err == nil || !strings.Contains(err.Error(), "is loadtester the Flagger load tester's address?") {
		t.Errorf("not a load tester: %v", err)
	}

	notLT.Close()
	e, _ = flaggerExecutor(t, &FlaggerParams{LoadTester: notLT.URL})
	r = e.Execute(context.Background(), Request{Action: RolloutAbort, Model: "fraud", Reason: "r", Confirm: "fraud", Actor: operator})
	if r.Outcome != Failed || !strings.Contains(r.Message, "nothing was sent: ask the load tester at") {
		t.Errorf("down: %s %q", r.Outcome, r.Message)
	}
}
