package actions

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

// slackPath is the secret part of an incoming webhook's URL.
const slackPath = "/services/T0001/B0002/s3cr3tT0ken"

// slackOK answers as Slack does.
func slackOK(w http.ResponseWriter, _ *http.Request, _ captured) { _, _ = io.WriteString(w, "ok") }

func slackActions(p *SlackParams, states ...string) config.Actions {
	return config.Actions{RequireReason: true, Custom: []config.CustomAction{{
		Key: "s", Title: "Tell #ml-oncall", Role: config.RoleOperator, States: states,
		Action: config.Action{Kind: kindSlack, Params: p},
	}}}
}

func slackReq(f fixture, reason string) Request {
	m := driftingModel()
	return Request{Action: "s", Model: m.Name, Reason: reason, Actor: f.actor, Snapshot: m}
}

// noSecretInAudit fails when the audit log holds the webhook's URL or its
// secret path.
func noSecretInAudit(t *testing.T, f fixture) {
	t.Helper()
	b, err := os.ReadFile(f.log.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{slackPath, "s3cr3tT0ken", "T0001/B0002"} {
		if strings.Contains(string(b), s) {
			t.Errorf("the audit log holds %q:\n%s", s, b)
		}
	}
}

func TestSlackPostsTheMessage(t *testing.T) {
	rc := newReceiver(t, slackOK)
	f := newFixture(t, slackActions(&SlackParams{URLFile: writeFile(t, "slack-url", rc.URL+slackPath+"\n")}), nil)
	req := slackReq(f, "drift on tenure <!channel> & co")

	plan, err := f.ex.Plan(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Target != rc.URL || plan.Refusal != "" || plan.TypedName {
		t.Errorf("plan target %q refusal %q typed %v; want %s, none, false", plan.Target, plan.Refusal, plan.TypedName, rc.URL)
	}
	mustContain(t, "plan", strings.Join(plan.Changes, "\n"), "posts to Slack (127.0.0.1:", "Tell #ml-oncall on churn-predictor v3")
	if strings.Contains(strings.Join(plan.Changes, "\n"), slackPath) {
		t.Errorf("the plan shows the secret path: %v", plan.Changes)
	}

	req.ID = plan.ID
	res := f.ex.Execute(ctx(t), req)
	if res.Outcome != Succeeded || res.Message != "posted" || res.Status != 200 {
		t.Fatalf("outcome %s %d %q, want succeeded 200 posted", res.Outcome, res.Status, res.Message)
	}
	c := rc.only(t)
	if c.Method != http.MethodPost || c.Path != slackPath || c.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request %s %s (%s), want POST %s JSON", c.Method, c.Path, c.Header.Get("Content-Type"), slackPath)
	}
	if got := c.Header.Get("Idempotency-Key"); got != res.ID || got != plan.ID {
		t.Errorf("Idempotency-Key %q, want the request id %q", got, res.ID)
	}
	body := c.json(t)
	if len(body) != 1 {
		t.Errorf("body %v, want only text", body)
	}
	text, _ := body["text"].(string)
	want := "mltop: Tell #ml-oncall on churn-predictor v3, by ana@test-host: drift on tenure &lt;!channel&gt; &amp; co (health warn; request " + res.ID + ")"
	if text != want {
		t.Errorf("text\n got %q\nwant %q", text, want)
	}

	rs := f.records(t)
	if len(rs) != 2 || rs[0].State != audit.Requested || rs[1].State != audit.Succeeded {
		t.Fatalf("audit records %+v, want requested then succeeded", rs)
	}
	for _, r := range rs {
		if r.Adapter != kindSlack || r.Target != rc.URL || r.Title != "Tell #ml-oncall" || r.Before != nil || r.After != nil {
			t.Errorf("record adapter %q target %q title %q before %v after %v", r.Adapter, r.Target, r.Title, r.Before, r.After)
		}
	}
	noSecretInAudit(t, f)
}

func TestSlackURLFromEnvironment(t *testing.T) {
	rc := newReceiver(t, slackOK)
	t.Setenv("MLTOP_TEST_SLACK_URL", " "+rc.URL+slackPath+"\n")
	f := newFixture(t, slackActions(&SlackParams{URLEnv: "MLTOP_TEST_SLACK_URL"}), nil)
	if res := f.ex.Execute(ctx(t), slackReq(f, "drift")); res.Outcome != Succeeded {
		t.Fatalf("outcome %s: %s", res.Outcome, res.Message)
	}
	if c := rc.only(t); c.Path != slackPath {
		t.Errorf("posted to %s, want %s", c.Path, slackPath)
	}

	// Read for each request: without it nothing is sent.
	t.Setenv("MLTOP_TEST_SLACK_URL", "")
	res := f.ex.Execute(ctx(t), slackReq(f, "drift"))
	if res.Outcome != Failed || res.Message != "nothing was sent: $MLTOP_TEST_SLACK_URL is empty" {
		t.Errorf("without the variable: %s %q", res.Outcome, res.Message)
	}
	t.Setenv("MLTOP_TEST_SLACK_URL", "hooks.slack.com"+slackPath)
	res = f.ex.Execute(ctx(t), slackReq(f, "drift"))
	if res.Outcome != Failed || res.Message != "nothing was sent: $MLTOP_TEST_SLACK_URL does not hold an http(s) URL" {
		t.Errorf("not a URL: %s %q", res.Outcome, res.Message)
	}
	if n := len(rc.requests()); n != 1 {
		t.Errorf("receiver saw %d requests, want 1", n)
	}
	noSecretInAudit(t, f)
}

// The executor's rules hold for a notification as for any action: nothing
// is posted when one refuses, and the refusal is recorded.
func TestSlackRefusals(t *testing.T) {
	rc := newReceiver(t, slackOK)
	urlFile := writeFile(t, "slack-url", rc.URL+slackPath)
	cases := []struct {
		name     string
		readOnly bool
		states   []string
		req      func(f fixture) Request
		want     string
	}{
		{"read-only", true, nil, func(f fixture) Request { return slackReq(f, "drift") }, "read-only"},
		{"viewer", false, nil, func(f fixture) Request {
			r := slackReq(f, "drift")
			r.Actor.Role = config.RoleViewer
			return r
		}, "tell #ml-oncall needs the operator role; ana has viewer"},
		{"no reason", false, nil, func(f fixture) Request { return slackReq(f, " ") }, "a reason is required"},
		{"state", false, []string{"critical"}, func(f fixture) Request { return slackReq(f, "drift") },
			"Tell #ml-oncall is allowed only while the model is critical; churn-predictor is warn"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, slackActions(&SlackParams{URLFile: urlFile}, tc.states...), nil,
				func(o *Options) { o.ReadOnly = tc.readOnly })
			res := f.ex.Execute(ctx(t), tc.req(f))
			if res.Outcome != Refused || !strings.Contains(res.Message, tc.want) {
				t.Errorf("outcome %s %q, want refused with %q", res.Outcome, res.Message, tc.want)
			}
			if got := f.states(t, res.ID); len(got) != 1 || got[0] != audit.Refused {
				t.Errorf("recorded %v, want [refused]", got)
			}
			noSecretInAudit(t, f)
		})
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("receiver saw %d requests after refusals, want 0", n)
	}

	f := newFixture(t, slackActions(&SlackParams{URLFile: urlFile}), nil)
	req := slackReq(f, "drift")
	req.ID = NewID()
	if res := f.ex.Execute(ctx(t), req); res.Outcome != Succeeded {
		t.Fatalf("first: %s %q", res.Outcome, res.Message)
	}
	if res := f.ex.Execute(ctx(t), req); res.Outcome != Refused || !strings.Contains(res.Message, "already sent") {
		t.Errorf("repeated id: %s %q, want refused", res.Outcome, res.Message)
	}
	if n := len(rc.requests()); n != 1 {
		t.Errorf("receiver saw %d requests, want 1", n)
	}
}

// Slack's answer is shown, without the URL even when the answer repeats it.
func TestSlackFailureKeepsTheURLSecret(t *testing.T) {
	var url string
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ captured) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "no_service: "+url)
	})
	url = rc.URL + slackPath
	f := newFixture(t, slackActions(&SlackParams{URLFile: writeFile(t, "slack-url", url)}), nil)
	res := f.ex.Execute(ctx(t), slackReq(f, "drift"))
	if res.Outcome != Failed || res.Status != 404 {
		t.Fatalf("outcome %s %d, want failed 404", res.Outcome, res.Status)
	}
	mustContain(t, "message", res.Message, "HTTP 404 Not Found: no_service: [redacted]")
	if strings.Contains(res.Message, slackPath) {
		t.Errorf("message shows the secret path: %q", res.Message)
	}
	noSecretInAudit(t, f)

	missing := filepath.Join(t.TempDir(), "nope")
	f = newFixture(t, slackActions(&SlackParams{URLFile: missing}), nil)
	res = f.ex.Execute(ctx(t), slackReq(f, "drift"))
	if res.Outcome != Failed || !strings.HasPrefix(res.Message, "nothing was sent: url_file: read ") {
		t.Errorf("missing url_file: %s %q", res.Outcome, res.Message)
	}
}

func TestSlackConfig(t *testing.T) {
	home := t.TempDir()
	getenv := func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}
	c, err := config.ParseEnv("config.yaml", []byte("actions:\n  custom:\n    - {key: n, title: Tell, kind: slack, url_file: ~/slack-url}\n"), getenv)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := c.Actions.Custom[0].Params.(*SlackParams); p == nil || p.URLFile != filepath.Join(home, "slack-url") {
		t.Errorf("params %#v, want url_file under home", c.Actions.Custom[0].Params)
	}

	custom := "actions:\n  custom:\n    - key: n\n      title: Tell\n      kind: slack\n"
	for name, tc := range map[string]struct{ src, want string }{
		"url": {custom + "      url: https://hooks.slack.com/services/T/B/x\n",
			"config.yaml:5: actions.custom[0].url_file: is required for kind slack (or url_env)\n" +
				"config.yaml:6: actions.custom[0].url: a Slack webhook URL is a secret: put it in a file (url_file) or an environment variable (url_env)"},
		"neither": {custom, "config.yaml:5: actions.custom[0].url_file: is required for kind slack (or url_env)"},
		"both": {custom + "      url_file: /run/slack\n      url_env: SLACK_URL\n",
			"config.yaml:7: actions.custom[0].url_env: set url_file or url_env, not both"},
		"env name": {custom + "      url_env: $SLACK_URL\n",
			`config.yaml:6: actions.custom[0].url_env: want an environment variable's name, got "$SLACK_URL"`},
		"retrain": {"actions:\n  retrain: {kind: slack, url_env: SLACK_URL}\n",
			`config.yaml:2: actions.retrain.kind: unknown kind "slack" (known: airflow, argo-workflows, github, kubeflow, webhook)`},
	} {
		_, err := config.ParseEnv("config.yaml", []byte(tc.src), getenv)
		if err == nil {
			t.Errorf("%s: no error, want %s", name, tc.want)
			continue
		}
		if got := err.Error(); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, tc.want)
		}
	}
}
