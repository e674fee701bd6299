package actions

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/testenv"
)

// amSilenceFixture is an executor whose silences go to a real Alertmanager.
func amSilenceFixture(t *testing.T) (fixture, *testenv.Alertmanager) {
	t.Helper()
	am := testenv.StartAlertmanager(t)
	f := newFixture(t, config.Actions{RequireReason: true}, nil, func(o *Options) {
		o.Alertmanager = config.Alertmanager{URL: am.URL, Timeout: 10 * time.Second}
	})
	return f, am
}

// PostAlert fires an alert in Alertmanager, as Prometheus would.
func postAlert(t *testing.T, amURL string, labels map[string]string) {
	t.Helper()
	body, _ := json.Marshal([]map[string]any{{"labels": labels, "startsAt": time.Now().UTC().Format(time.RFC3339)}})
	resp, err := http.Post(amURL+"/api/v2/alerts", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("post alert: HTTP %d", resp.StatusCode)
	}
}

// amGet decodes a GET of Alertmanager's API into v.
func amGet(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d: %s", url, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v: %s", url, err, b)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 15s", what)
		}
		time.Sleep(50 * time.Millisecond) // polling a real server's state, not synchronising goroutines
	}
}

func alertState(t *testing.T, amURL, alertname string) (state string, silencedBy []string) {
	var alerts []amAlert
	amGet(t, amURL+"/api/v2/alerts", &alerts)
	for _, a := range alerts {
		if a.Labels["alertname"] == alertname {
			return a.Status.State, a.Status.SilencedBy
		}
	}
	return "", nil
}

// A silence made through the executor is in Alertmanager with exactly the
// matchers, author and comment asked for, for the length asked for; the
// firing alert it matches becomes suppressed; a second plan names who
// silenced it; unsilence expires it, and a second unsilence is refused.
// Every step is in the audit log.
func TestSilenceAgainstAlertmanager(t *testing.T) {
	f, am := amSilenceFixture(t)
	postAlert(t, am.URL, map[string]string{"alertname": "HighErrorRate", "model": "payments-fraud", "version": "8", "severity": "page"})
	postAlert(t, am.URL, map[string]string{"alertname": "Other", "model": "churn"})
	waitFor(t, "the alert is active", func() bool { s, _ := alertState(t, am.URL, "HighErrorRate"); return s == "active" })

	actor := Actor{User: "ana", Role: config.RoleOperator, KeyFingerprint: "SHA256:k3y"}
	req := Request{Action: Silence, Model: "payments-fraud", Alert: "HighErrorRate", For: 2 * time.Hour,
		Reason: "known outage, INC-42", Actor: actor}
	p, err := f.ex.Plan(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if p.Refusal != "" {
		t.Fatalf("plan refused: %s", p.Refusal)
	}
	changes := strings.Join(p.Changes, "\n")
	mustContain(t, "plan", changes, `silence model="payments-fraud", alertname="HighErrorRate"`, "for 2h, until ",
		"matches now: HighErrorRate v8 page (firing, since ")
	if strings.Contains(changes, "Other") || strings.Contains(changes, "nothing fires") {
		t.Errorf("plan lists an alert of another model, or none:\n%s", changes)
	}
	if !slices.Equal(p.Matchers, []string{`model="payments-fraud"`, `alertname="HighErrorRate"`}) {
		t.Errorf("plan matchers %q", p.Matchers)
	}

	req.ID = p.ID
	sent := time.Now()
	res := f.ex.Execute(ctx(t), req)
	if res.Outcome != Succeeded || res.RunID == "" {
		t.Fatalf("outcome %s %q, silence id %q", res.Outcome, res.Message, res.RunID)
	}
	id := res.RunID

	var got amSilence
	amGet(t, am.URL+"/api/v2/silence/"+id, &got)
	yes := true
	want := []amMatcher{{Name: "model", Value: "payments-fraud", IsEqual: &yes}, {Name: "alertname", Value: "HighErrorRate", IsEqual: &yes}}
	if !sameMatchers(got.Matchers, want) {
		t.Errorf("matchers %+v, want exactly model and alertname, exact", got.Matchers)
	}
	if got.Created != "ana (SHA256:k3y)" {
		t.Errorf("createdBy %q", got.Created)
	}
	if wantC := "known outage, INC-42 (mltop request " + p.ID + ")"; got.Comment != wantC {
		t.Errorf("comment %q, want %q", got.Comment, wantC)
	}
	if d := got.EndsAt.Sub(sent.Add(2 * time.Hour)); d < -time.Second || d > time.Second {
		t.Errorf("endsAt %s is %s off now+2h", got.EndsAt, d)
	}
	if got.Status.State != "active" {
		t.Errorf("silence state %q", got.Status.State)
	}
	waitFor(t, "the alert is suppressed by the silence", func() bool {
		s, by := alertState(t, am.URL, "HighErrorRate")
		return s == "suppressed" && slices.Equal(by, []string{id})
	})
	if s, _ := alertState(t, am.URL, "Other"); s != "active" {
		t.Errorf("another model's alert is %q, want active", s)
	}

	// The next plan says who silenced it already.
	p2, err := f.ex.Plan(ctx(t), Request{Action: Silence, Model: "payments-fraud", For: time.Hour, Actor: actor})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "second plan", strings.Join(p2.Changes, "\n"), "HighErrorRate v8 page (already silenced by ana (SHA256:k3y)")

	// Unsilence by id alone: the plan finds the model and shows the silence.
	up, err := f.ex.Plan(ctx(t), Request{Action: Unsilence, SilenceID: id, Actor: actor})
	if err != nil {
		t.Fatal(err)
	}
	if up.Model != "payments-fraud" || up.Refusal != "" {
		t.Fatalf("unsilence plan: model %q, refusal %q", up.Model, up.Refusal)
	}
	mustContain(t, "unsilence plan", strings.Join(up.Changes, "\n"), "expire silence "+id, "by ana (SHA256:k3y): known outage, INC-42")
	ures := f.ex.Execute(ctx(t), Request{ID: up.ID, Action: Unsilence, SilenceID: id, Model: up.Model, Reason: "fixed", Actor: actor})
	if ures.Outcome != Succeeded {
		t.Fatalf("unsilence: %s %q", ures.Outcome, ures.Message)
	}
	amGet(t, am.URL+"/api/v2/silence/"+id, &got)
	if got.Status.State != "expired" {
		t.Errorf("after unsilence the silence is %q", got.Status.State)
	}
	again, err := f.ex.Plan(ctx(t), Request{Action: Unsilence, SilenceID: id, Actor: actor})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "second unsilence refusal", again.Refusal, "already ended", "nothing to expire")
	if r := f.ex.Execute(ctx(t), Request{ID: again.ID, Action: Unsilence, SilenceID: id, Model: again.Model, Reason: "x", Actor: actor}); r.Outcome != Refused {
		t.Errorf("expiring an expired silence: %s", r.Outcome)
	}

	if s := f.states(t, p.ID); !slices.Equal(s, []audit.State{audit.Requested, audit.Succeeded}) {
		t.Errorf("silence records %v", s)
	}
	if s := f.states(t, up.ID); !slices.Equal(s, []audit.State{audit.Requested, audit.Succeeded}) {
		t.Errorf("unsilence records %v", s)
	}
	for _, r := range f.records(t) {
		if r.ID == p.ID && r.State == audit.Succeeded {
			if r.Response == nil || r.Response.RunID != id || r.Reason != "known outage, INC-42" || r.Actor.KeyFingerprint != "SHA256:k3y" {
				t.Errorf("silence record %+v", r)
			}
			if r.After["matchers"] != `model="payments-fraud", alertname="HighErrorRate"` || r.After["for"] != "2h" {
				t.Errorf("silence record's change %v", r.After)
			}
		}
	}
}

func sameMatchers(got, want []amMatcher) bool {
	key := func(m amMatcher) string {
		return fmt.Sprintf("%s|%s|%v|%v", m.Name, m.Value, m.IsRegex, m.IsEqual == nil || *m.IsEqual)
	}
	var g, w []string
	for _, m := range got {
		g = append(g, key(m))
	}
	for _, m := range want {
		w = append(w, key(m))
	}
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

// A viewer is refused and nothing reaches Alertmanager; so is a silence
// too long or too short, and one without a reason.
func TestSilenceRefusals(t *testing.T) {
	f, am := amSilenceFixture(t)
	base := Request{Action: Silence, Model: "payments-fraud", For: 2 * time.Hour, Reason: "r", Actor: f.actor}
	cases := []struct {
		name string
		edit func(*Request)
		want string
	}{
		{"viewer", func(r *Request) { r.Actor.Role = config.RoleViewer }, "silence alerts needs the operator role; ana has viewer"},
		{"too long", func(r *Request) { r.For = 8 * 24 * time.Hour }, "a silence lasts at most 7 days"},
		{"too short", func(r *Request) { r.For = 30 * time.Second }, "a silence lasts at least 1m"},
		{"no length", func(r *Request) { r.For = 0 }, "say how long"},
		{"no reason", func(r *Request) { r.Reason = "" }, "a reason is required"},
	}
	for _, c := range cases {
		req := base
		c.edit(&req)
		res := f.ex.Execute(ctx(t), req)
		if res.Outcome != Refused {
			t.Errorf("%s: outcome %s %q", c.name, res.Outcome, res.Message)
		}
		mustContain(t, c.name, res.Message, c.want)
	}
	var silences []amSilence
	amGet(t, am.URL+"/api/v2/silences", &silences)
	if len(silences) != 0 {
		t.Errorf("%d silences created by refused requests", len(silences))
	}
}

// Without an Alertmanager the actions are listed, missing, and refused.
func TestSilenceWithoutAlertmanager(t *testing.T) {
	f := newFixture(t, config.Actions{}, nil)
	s, ok := f.ex.Spec(Silence)
	if !ok || s.Key != "M" || s.Missing != NoAlertmanager {
		t.Fatalf("spec %+v", s)
	}
	p, err := f.ex.Plan(ctx(t), Request{Action: Silence, Model: "m", For: time.Hour, Actor: f.actor})
	if err != nil || p.Refusal != NoAlertmanager {
		t.Errorf("plan refusal %q, err %v", p.Refusal, err)
	}
	if r := f.ex.Execute(ctx(t), Request{Action: Silence, Model: "m", For: time.Hour, Actor: f.actor}); r.Outcome != Refused || r.Message != NoAlertmanager {
		t.Errorf("execute: %s %q", r.Outcome, r.Message)
	}
	// A custom action on M (allowed without an Alertmanager) keeps its key.
	g := newFixture(t, config.Actions{Custom: []config.CustomAction{{Key: "M", Title: "Mute", Role: config.RoleOperator,
		Action: config.Action{Kind: kindWebhook, URL: "http://127.0.0.1:1/m"}}}}, nil)
	if s, _ := g.ex.Spec(Silence); s.Key != "" {
		t.Errorf("silence took key %q from a custom action", s.Key)
	}
}

// Alertmanager's refusals and failures, in one plain line each; the
// silence is posted once whatever the answer.
func TestSilenceHostileAnswers(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		body    string
		outcome Outcome
		want    string
	}{
		{"400 with its message", 400, `"silence invalid: start time must be before end time"`, Failed, "HTTP 400 Bad Request: silence invalid: start time must be before end time"},
		{"500", 500, "internal error\n", Failed, "HTTP 500"},
		{"502 from a gateway", 502, "<html>bad gateway</html>", Unknown, "a gateway answered HTTP 502"},
		{"HTML login page", 200, "<html><body>Sign in</body></html>", Unknown, "not Alertmanager's"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			posts := 0
			rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, _ captured) {
				if r.Method == http.MethodGet {
					_, _ = io.WriteString(w, "[]")
					return
				}
				posts++
				w.WriteHeader(c.status)
				_, _ = io.WriteString(w, c.body)
			})
			f := newFixture(t, config.Actions{}, nil, func(o *Options) { o.Alertmanager = config.Alertmanager{URL: rc.URL} })
			req := Request{ID: NewID(), Action: Silence, Model: "m", For: time.Hour, Reason: "r", Actor: f.actor}
			res := f.ex.Execute(context.Background(), req)
			if res.Outcome != c.outcome {
				t.Errorf("outcome %s (%s), want %s", res.Outcome, res.Message, c.outcome)
			}
			mustContain(t, "message", res.Message, c.want)
			if strings.Contains(res.Message, "\n") {
				t.Errorf("message has a line break: %q", res.Message)
			}
			if again := f.ex.Execute(context.Background(), req); again.Outcome != Refused {
				t.Errorf("the same request again: %s", again.Outcome)
			}
			if posts != 1 {
				t.Errorf("%d POSTs, want exactly 1", posts)
			}
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		rc := newReceiver(t, nil)
		url := rc.URL
		rc.Close()
		f := newFixture(t, config.Actions{}, nil, func(o *Options) { o.Alertmanager = config.Alertmanager{URL: url} })
		_, err := f.ex.Plan(context.Background(), Request{Action: Silence, Model: "m", For: time.Hour, Actor: f.actor})
		if err == nil || !strings.Contains(err.Error(), "read the alerts from Alertmanager") || !strings.Contains(err.Error(), "refused") {
			t.Errorf("plan error %v", err)
		}
		res := f.ex.Execute(context.Background(), Request{Action: Silence, Model: "m", For: time.Hour, Reason: "r", Actor: f.actor})
		if res.Outcome != Failed || !strings.HasPrefix(res.Message, "nothing was sent") {
			t.Errorf("execute: %s %q", res.Outcome, res.Message)
		}
	})
}

// Read-only refuses a silence like any action, and sends nothing.
func TestSilenceReadOnly(t *testing.T) {
	rc := newReceiver(t, nil)
	f := newFixture(t, config.Actions{}, nil, func(o *Options) {
		o.ReadOnly = true
		o.Alertmanager = config.Alertmanager{URL: rc.URL}
	})
	res := f.ex.Execute(ctx(t), Request{Action: Silence, Model: "m", For: time.Hour, Reason: "r", Actor: f.actor})
	if res.Outcome != Refused || !strings.Contains(res.Message, "read-only") {
		t.Errorf("read-only: %s %q", res.Outcome, res.Message)
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("%d requests reached Alertmanager in read-only mode", n)
	}
}

// The alertmanager section's credentials and TLS reach every request:
// basic auth from its password file over TLS with the configured CA, the
// headers; the password never reaches a message.
func TestSilenceCredentialsAndTLS(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%s %s %v %s:%s %s", r.Method, r.URL.Path, ok, user, pass, r.Header.Get("X-Scope-OrgID")))
		mu.Unlock()
		if r.Method == http.MethodGet {
			_, _ = io.WriteString(w, "[]")
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `"bad credentials s3cret-pass"`)
	}))
	defer srv.Close()
	ca := writeFile(t, "ca.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	pw := writeFile(t, "pw", "s3cret-pass\n")
	f := newFixture(t, config.Actions{}, nil, func(o *Options) {
		o.Alertmanager = config.Alertmanager{URL: srv.URL, Headers: map[string]string{"X-Scope-OrgID": "ml"},
			BasicAuth: config.BasicAuth{Username: "mltop", PasswordFile: pw}, TLS: config.TLS{CAFile: ca}}
	})
	res := f.ex.Execute(ctx(t), Request{Action: Silence, Model: "m", For: time.Hour, Reason: "r", Actor: f.actor})
	if res.Outcome != Failed || res.Status != 400 {
		t.Fatalf("outcome %s %q", res.Outcome, res.Message)
	}
	if strings.Contains(res.Message, "s3cret-pass") {
		t.Errorf("the password reached the message: %q", res.Message)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"GET /api/v2/alerts true mltop:s3cret-pass ml", "POST /api/v2/silences true mltop:s3cret-pass ml"}
	if !slices.Equal(seen, want) {
		t.Errorf("requests %q, want %q", seen, want)
	}
	// Without the CA the server is not trusted, and nothing is sent.
	g := newFixture(t, config.Actions{}, nil, func(o *Options) { o.Alertmanager = config.Alertmanager{URL: srv.URL} })
	if _, err := g.ex.Plan(ctx(t), Request{Action: Silence, Model: "m", For: time.Hour, Actor: g.actor}); err == nil ||
		!strings.Contains(err.Error(), "certificate") {
		t.Errorf("plan against an untrusted server: %v", err)
	}
}
