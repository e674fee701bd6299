package actions

import (
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

func webhookRetrain(url string) config.Actions {
	return config.Actions{Retrain: config.Action{Kind: kindWebhook, URL: url}, RequireReason: true}
}

func retrainReq(f fixture) Request {
	return Request{Action: Retrain, Model: "churn-predictor", Reason: "drift", Actor: f.actor}
}

func TestConcurrentRequestForSameModelIsRefused(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, c captured) {
		once.Do(func() {
			close(arrived)
			<-release
		})
	})
	f := newFixture(t, webhookRetrain(rc.URL), nil)
	first := make(chan Result)
	go func() { first <- f.ex.Execute(ctx(t), retrainReq(f)) }()
	<-arrived
	if id := f.ex.InFlight("churn-predictor"); id == "" {
		t.Error("InFlight does not report the running action")
	}
	p, err := f.ex.Plan(ctx(t), retrainReq(f))
	if err != nil || !strings.Contains(p.Refusal, "another action on churn-predictor is in progress") {
		t.Errorf("plan during the first action: refusal %q, err %v", p.Refusal, err)
	}
	second := f.ex.Execute(ctx(t), retrainReq(f))
	close(release)
	res := <-first
	if second.Outcome != Refused || !strings.Contains(second.Message, "another action on churn-predictor is in progress") {
		t.Errorf("second %+v", second)
	}
	if res.Outcome != Succeeded {
		t.Errorf("first %+v", res)
	}
	if n := len(rc.requests()); n != 1 {
		t.Errorf("receiver saw %d requests, want 1", n)
	}
	if got := f.states(t, second.ID); !slices.Equal(got, []audit.State{audit.Refused}) {
		t.Errorf("second recorded %v", got)
	}
	// The model is free again once the first action is over.
	if r := f.ex.Execute(ctx(t), retrainReq(f)); r.Outcome != Succeeded {
		t.Errorf("after the first: %+v", r)
	}
}

func TestSameRequestIDIsSentOnce(t *testing.T) {
	rc := newReceiver(t, nil)
	f := newFixture(t, webhookRetrain(rc.URL), nil)
	req := retrainReq(f)
	req.ID = NewID()
	for range 3 { // a confirmation key pressed three times
		f.ex.Execute(ctx(t), req)
	}
	if n := len(rc.requests()); n != 1 {
		t.Fatalf("receiver saw %d requests, want 1", n)
	}
	if got := f.states(t, req.ID); !slices.Equal(got, []audit.State{audit.Requested, audit.Succeeded}) {
		t.Errorf("request recorded %v", got)
	}
	refused := audit.Select(f.records(t), audit.Filter{State: audit.Refused})
	if len(refused) != 2 || !strings.Contains(refused[0].Response.Message, req.ID+" was already sent") {
		t.Errorf("duplicates recorded as %+v", refused)
	}
}

func TestSlowTargetTimesOutAsUnknownWithoutRetry(t *testing.T) {
	release := make(chan struct{})
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, c captured) { <-release })
	defer close(release)
	acts := webhookRetrain(rc.URL)
	acts.Retrain.Timeout = 300 * time.Millisecond
	f := newFixture(t, acts, nil)
	res := f.ex.Execute(ctx(t), retrainReq(f))
	if res.Outcome != Unknown || res.Check == "" {
		t.Fatalf("result %+v", res)
	}
	mustContain(t, "message", res.Message, "no answer within 300ms", "not retried", "may or may not")
	if n := len(rc.requests()); n != 1 {
		t.Errorf("receiver saw %d requests, want 1", n)
	}
	if got := f.states(t, res.ID); !slices.Equal(got, []audit.State{audit.Requested, audit.Unknown}) {
		t.Errorf("recorded %v", got)
	}
}

func TestConnectionResetAfterSendingIsUnknownWithoutRetry(t *testing.T) {
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, c captured) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // RST, not FIN
			}
			_ = conn.Close()
		}
	})
	f := newFixture(t, webhookRetrain(rc.URL), nil)
	res := f.ex.Execute(ctx(t), retrainReq(f))
	if res.Outcome != Unknown {
		t.Fatalf("result %+v", res)
	}
	if n := len(rc.requests()); n != 1 {
		t.Errorf("receiver saw %d requests, want 1", n)
	}
}

func TestServerErrorFailsWithItsMessage(t *testing.T) {
	rc := newReceiver(t, jsonReply(500, `{"message":"scheduler is down"}`))
	f := newFixture(t, webhookRetrain(rc.URL), nil)
	res := f.ex.Execute(ctx(t), retrainReq(f))
	if res.Outcome != Failed || res.Status != 500 || res.Message != "HTTP 500 Internal Server Error: scheduler is down" {
		t.Fatalf("result %+v", res)
	}
	rs := f.records(t)
	if len(rs) != 2 || rs[1].State != audit.Failed || rs[1].Response.Status != 500 || rs[1].Response.Message != res.Message {
		t.Errorf("records %+v", rs)
	}
}

func TestGatewayTimeoutIsUnknown(t *testing.T) {
	rc := newReceiver(t, jsonReply(504, `upstream timed out`))
	f := newFixture(t, webhookRetrain(rc.URL), nil)
	if res := f.ex.Execute(ctx(t), retrainReq(f)); res.Outcome != Unknown || res.Status != 504 {
		t.Errorf("result %+v", res)
	}
}

func TestUnreachableTargetFailsWithNothingSent(t *testing.T) {
	rc := newReceiver(t, nil)
	url := rc.URL
	rc.Close()
	f := newFixture(t, webhookRetrain(url), nil)
	res := f.ex.Execute(ctx(t), retrainReq(f))
	if res.Outcome != Failed {
		t.Fatalf("result %+v", res)
	}
	mustContain(t, "message", res.Message, "nothing was sent")
}

func TestRedirectIsNotFollowed(t *testing.T) {
	other := newReceiver(t, nil)
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, c captured) {
		http.Redirect(w, r, other.URL+"/elsewhere?token=abcdef123", http.StatusTemporaryRedirect)
	})
	f := newFixture(t, webhookRetrain(rc.URL), nil)
	res := f.ex.Execute(ctx(t), retrainReq(f))
	if res.Outcome != Failed || res.Status != 307 || len(rc.requests()) != 1 || len(other.requests()) != 0 {
		t.Fatalf("result %+v; %d + %d requests", res, len(rc.requests()), len(other.requests()))
	}
	mustContain(t, "message", res.Message, "redirected to "+other.URL+"/elsewhere")
}

func TestRulesRefuseBeforeSending(t *testing.T) {
	rc := newReceiver(t, nil)
	acts := webhookRetrain(rc.URL)
	acts.Custom = []config.CustomAction{
		{Key: "p", Title: "Page the owner", Role: config.RoleViewer, States: []string{"critical"},
			Action: config.Action{Kind: kindWebhook, URL: rc.URL + "/page"}},
	}
	cases := []struct {
		name     string
		readOnly bool
		req      func(f fixture) Request
		want     string
	}{
		{"read-only", true, retrainReq, "read-only"},
		{"viewer", false, func(f fixture) Request {
			r := retrainReq(f)
			r.Actor.Role = config.RoleViewer
			return r
		}, "retrain needs the operator role; ana has viewer"},
		{"no role", false, func(f fixture) Request {
			r := retrainReq(f)
			r.Actor.Role = ""
			return r
		}, "needs the operator role"},
		{"no reason", false, func(f fixture) Request {
			r := retrainReq(f)
			r.Reason = "  "
			return r
		}, "a reason is required"},
		{"wrong state", false, func(f fixture) Request {
			r := retrainReq(f)
			r.Action, r.Snapshot = "p", driftingModel()
			return r
		}, "Page the owner is allowed only while the model is critical; churn-predictor is warn"},
		{"unknown action", false, func(f fixture) Request {
			r := retrainReq(f)
			r.Action = "x"
			return r
		}, `no action "x" is configured`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, acts, nil, func(o *Options) { o.ReadOnly = c.readOnly })
			res := f.ex.Execute(ctx(t), c.req(f))
			if res.Outcome != Refused || !res.Recorded {
				t.Fatalf("result %+v", res)
			}
			mustContain(t, "message", res.Message, c.want)
			rs := f.records(t)
			if len(rs) != 1 || rs[0].State != audit.Refused || rs[0].Response.Message != res.Message || rs[0].Actor.User != "ana" {
				t.Errorf("recorded %+v", rs)
			}
		})
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("receiver saw %d requests, want 0", n)
	}
	// The custom action runs for a viewer once the model is critical.
	f := newFixture(t, acts, nil)
	m := driftingModel()
	m.Health.Status = fleet.StatusCritical
	res := f.ex.Execute(ctx(t), Request{Action: "p", Model: m.Name, Reason: "page", Actor: Actor{User: "sre", Role: config.RoleViewer}, Snapshot: m})
	if res.Outcome != Succeeded || rc.only(t).Path != "/page" {
		t.Errorf("custom action: %+v", res)
	}
	if r := f.records(t)[1]; r.Action != "p" || r.Title != "Page the owner" {
		t.Errorf("custom record %+v", r)
	}
}

func TestDangerousCustomActionNeedsTypedName(t *testing.T) {
	rc := newReceiver(t, nil)
	acts := config.Actions{Custom: []config.CustomAction{{Key: "P", Title: "Promote canary", Dangerous: true,
		Action: config.Action{Kind: kindWebhook, URL: rc.URL}}}}
	f := newFixture(t, acts, nil)
	req := Request{Action: "P", Model: "credit-risk", Actor: f.actor}
	if p, _ := f.ex.Plan(ctx(t), req); !p.TypedName || p.ReasonRequired {
		t.Errorf("plan typed %v reason %v", p.TypedName, p.ReasonRequired)
	}
	if res := f.ex.Execute(ctx(t), req); res.Outcome != Refused {
		t.Errorf("without the typed name: %+v", res)
	}
	req.Confirm = "credit-risk"
	if res := f.ex.Execute(ctx(t), req); res.Outcome != Succeeded {
		t.Errorf("with it: %+v", res)
	}
	if n := len(rc.requests()); n != 1 {
		t.Errorf("%d requests", n)
	}
}

func TestSecretsStayOutOfTheAuditLog(t *testing.T) {
	const token, header = "tok-5ecret-abcdef", "hdr-5ecret-123456"
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, c captured) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, "denied for "+r.Header.Get("Authorization")+" and "+r.Header.Get("X-Api-Key"))
	})
	tokFile := writeFile(t, "token", token)
	u := strings.Replace(rc.URL, "http://", "http://deployer:pa55word@", 1) + "/hook?token=qu3ry-5ecret"
	f := newFixture(t, config.Actions{Retrain: config.Action{Kind: kindWebhook, URL: u, TokenFile: tokFile,
		Headers: map[string]string{"X-Api-Key": header}}}, nil)
	res := f.ex.Execute(ctx(t), retrainReq(f))
	if res.Outcome != Failed || res.Status != 403 {
		t.Fatalf("result %+v", res)
	}
	c := rc.only(t)
	if c.Header.Get("Authorization") != "Bearer "+token || c.Query != "token=qu3ry-5ecret" {
		t.Fatalf("the secrets did not reach the target: %v %q", c.Header, c.Query)
	}
	raw, err := os.ReadFile(f.log.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{token, header, "pa55word", "deployer", "qu3ry-5ecret"} {
		if strings.Contains(string(raw), s) || strings.Contains(res.Message, s) {
			t.Errorf("secret %q leaked: %s\nmessage: %s", s, raw, res.Message)
		}
	}
	mustContain(t, "message", res.Message, "HTTP 403", "denied for")
}

func TestTokenFileIsReadForEachRequest(t *testing.T) {
	rc := newReceiver(t, nil)
	tokFile := writeFile(t, "token", "first-token")
	acts := webhookRetrain(rc.URL)
	acts.Retrain.TokenFile = tokFile
	f := newFixture(t, acts, nil)
	f.ex.Execute(ctx(t), retrainReq(f))
	if err := os.WriteFile(tokFile, []byte("second-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f.ex.Execute(ctx(t), retrainReq(f))
	rs := rc.requests()
	if len(rs) != 2 || rs[0].Header.Get("Authorization") != "Bearer first-token" || rs[1].Header.Get("Authorization") != "Bearer second-token" {
		t.Errorf("requests %+v", rs)
	}
	if err := os.Remove(tokFile); err != nil {
		t.Fatal(err)
	}
	res := f.ex.Execute(ctx(t), retrainReq(f))
	if res.Outcome != Failed || len(rc.requests()) != 2 {
		t.Errorf("missing token file: %+v", res)
	}
	mustContain(t, "message", res.Message, "nothing was sent", "token_file")
}

func TestAuditUnwritableSendsNothing(t *testing.T) {
	rc := newReceiver(t, nil)
	dir := t.TempDir()
	blocker := dir + "/not-a-dir"
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	ex, err := New(Options{Actions: webhookRetrain(rc.URL), Audit: audit.New(blocker + "/audit.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	res := ex.Execute(ctx(t), Request{Action: Retrain, Model: "m", Reason: "r", Actor: Actor{User: "a", Role: config.RoleOperator}})
	if res.Outcome != Failed || res.Recorded || len(rc.requests()) != 0 {
		t.Errorf("result %+v, %d requests", res, len(rc.requests()))
	}
	mustContain(t, "message", res.Message, "nothing was sent: the audit log could not be written")
}

func TestSpecsForMenus(t *testing.T) {
	acts := config.Actions{
		Rollback: config.Action{Kind: kindMLflowAlias},
		Retrain:  config.Action{Kind: kindWebhook, URL: "http://127.0.0.1:1/r"},
		Custom: []config.CustomAction{{Key: "P", Title: "Promote", Dangerous: true, States: []string{"ok", "warn"},
			Action: config.Action{Kind: kindWebhook, URL: "http://127.0.0.1:1/p"}}},
	}
	f := newFixture(t, acts, nil)
	var keys []string
	for _, s := range f.ex.Specs() {
		keys = append(keys, s.Key+":"+s.Action)
	}
	if !slices.Equal(keys, []string{"R:rollback", "T:retrain", "P:P", "M:silence", ":unsilence"}) {
		t.Errorf("specs %v", keys)
	}
	roll, _ := f.ex.Spec(Rollback)
	retr, _ := f.ex.Spec(Retrain)
	promote, _ := f.ex.Spec("P")
	if roll.Visible(true) || !retr.Visible(true) || promote.Visible(true) || !promote.Visible(false) {
		t.Error("dangerous actions must be hidden in read-only mode, the others shown")
	}
	if !promote.Allowed(fleet.StatusWarn) || promote.Allowed(fleet.StatusCritical) || !retr.Allowed(fleet.StatusCritical) {
		t.Error("Allowed does not follow states")
	}
	if !retr.Permits(config.RoleOperator) || retr.Permits(config.RoleViewer) || retr.Permits("") {
		t.Error("Permits does not follow roles")
	}
}

func TestExecuteIsSafeForManyModelsAtOnce(t *testing.T) {
	rc := newReceiver(t, nil)
	f := newFixture(t, webhookRetrain(rc.URL), nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			r := retrainReq(f)
			r.Model = string(rune('a' + i))
			if res := f.ex.Execute(ctx(t), r); res.Outcome != Succeeded {
				t.Errorf("%s: %+v", r.Model, res)
			}
		})
	}
	wg.Wait()
	if n := len(rc.requests()); n != 8 {
		t.Errorf("%d requests, want 8", n)
	}
	if n := len(f.records(t)); n != 16 {
		t.Errorf("%d records, want 16", n)
	}
}
