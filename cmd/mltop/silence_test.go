package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/testenv"
)

// amSilence is a silence as Alertmanager lists it.
type amSilence struct {
	ID       string `json:"id"`
	Matchers []struct {
		Name    string `json:"name"`
		Value   string `json:"value"`
		IsRegex bool   `json:"isRegex"`
		IsEqual bool   `json:"isEqual"`
	} `json:"matchers"`
	EndsAt    time.Time `json:"endsAt"`
	CreatedBy string    `json:"createdBy"`
	Comment   string    `json:"comment"`
	Status    struct {
		State string `json:"state"`
	} `json:"status"`
}

func listSilences(t *testing.T, amURL string) []amSilence {
	t.Helper()
	resp, err := http.Get(amURL + "/api/v2/silences")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []amSilence
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func runMltop(args ...string) (int, string, string) {
	var out, errb strings.Builder
	code := run(append(args, "--log-file", "-"), &out, &errb)
	return code, out.String(), errb.String()
}

// mltop silence and unsilence against a real Alertmanager: the silence
// is listed with exactly the matchers, author and comment asked for and
// ends within a second of now + --for; the plan names the alert firing;
// unsilence expires it; mltop audit shows both.
func TestSilenceCommandAgainstAlertmanager(t *testing.T) {
	home := isolate(t)
	t.Setenv("USER", "ana")
	am := testenv.StartAlertmanager(t)
	body := `[{"labels": {"alertname": "ModelErrorRate", "model": "payments-fraud", "version": "8"}}]`
	resp, err := http.Post(am.URL+"/api/v2/alerts", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	logPath := filepath.Join(home, "audit.jsonl")
	cfg := writeConfig(t, "prometheus: {url: http://127.0.0.1:9}\n"+
		"alertmanager: {url: "+am.URL+"}\n"+
		"audit: {path: "+logPath+"}\n")

	sent := time.Now()
	code, out, errs := runMltop("silence", "payments-fraud", "--version", "8", "--for", "90m", "--reason", "deploy window",
		"--yes", "--format", "json", "--config", cfg)
	if code != exitOK {
		t.Fatalf("silence: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	for _, want := range []string{`silence model="payments-fraud", version="8"`, "for 1h30m, until ", "matches now: ModelErrorRate v8 (firing"} {
		if !strings.Contains(errs, want) {
			t.Errorf("plan (on stderr with --format json) lacks %q:\n%s", want, errs)
		}
	}
	var res struct {
		Outcome   string   `json:"outcome"`
		SilenceID string   `json:"silence_id"`
		Matchers  []string `json:"matchers"`
		RequestID string   `json:"request_id"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, out)
	}
	if res.Outcome != "succeeded" || res.SilenceID == "" || len(res.Matchers) != 2 {
		t.Fatalf("result %+v", res)
	}
	ss := listSilences(t, am.URL)
	if len(ss) != 1 || ss[0].ID != res.SilenceID {
		t.Fatalf("Alertmanager lists %+v, want the one silence %s", ss, res.SilenceID)
	}
	s := ss[0]
	got := map[string]string{}
	for _, m := range s.Matchers {
		if m.IsRegex || !m.IsEqual {
			t.Errorf("matcher %+v is not exact", m)
		}
		got[m.Name] = m.Value
	}
	if len(got) != 2 || got["model"] != "payments-fraud" || got["version"] != "8" {
		t.Errorf("matchers %v", got)
	}
	if s.CreatedBy != "ana" || s.Comment != "deploy window (mltop request "+res.RequestID+")" {
		t.Errorf("createdBy %q, comment %q", s.CreatedBy, s.Comment)
	}
	if d := s.EndsAt.Sub(sent.Add(90 * time.Minute)); d < -time.Second || d > time.Second {
		t.Errorf("endsAt %s is %s off now+90m", s.EndsAt, d)
	}

	code, out, errs = runMltop("unsilence", res.SilenceID, "--reason", "deploy done", "--yes", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "expire silence "+res.SilenceID) || !strings.Contains(out, "by ana: deploy window") ||
		!strings.Contains(out, "SUCCEEDED: silence "+res.SilenceID+" expired") {
		t.Fatalf("unsilence: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if st := listSilences(t, am.URL)[0].Status.State; st != "expired" {
		t.Errorf("silence is %s after unsilence", st)
	}
	code, out, _ = runMltop("unsilence", res.SilenceID, "--reason", "again", "--yes", "--config", cfg)
	if code != exitActionFailed || !strings.Contains(out, "already ended") {
		t.Errorf("unsilence of an expired silence: exit %d\n%s", code, out)
	}

	code, out, _ = runMltop("audit", "--config", cfg)
	if code != exitOK {
		t.Fatalf("audit: exit %d", code)
	}
	for _, want := range []string{
		`succeeded  silence (Silence alerts)  payments-fraud  silence model="payments-fraud", version="8" for 1h30m`,
		`succeeded  unsilence (Expire silence)  payments-fraud  expire silence ` + res.SilenceID,
		"refused    unsilence (Expire silence)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("audit lacks %q:\n%s", want, out)
		}
	}
	rs, _, err := audit.Read(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if r := rs[1]; r.Action != "silence" || r.Response == nil || r.Response.RunID != res.SilenceID {
		t.Errorf("silence's outcome record %+v", r)
	}
}

// Without an Alertmanager the command says how to configure one, and
// exits as for any unconfigured action; a bad --for is a usage error.
func TestSilenceCommandUsage(t *testing.T) {
	home := isolate(t)
	cfg := writeConfig(t, "prometheus: {url: http://127.0.0.1:9}\naudit: {path: "+filepath.Join(home, "a.jsonl")+"}\n")
	code, _, errs := runMltop("silence", "m", "--for", "1h", "--reason", "r", "--yes", "--config", cfg)
	if code != exitActionFailed || !strings.Contains(errs, "no Alertmanager is configured: set alertmanager.url") {
		t.Errorf("no alertmanager: exit %d: %s", code, errs)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"silence", "m", "--reason", "r"}, "--for is required"},
		{[]string{"silence", "m", "--for", "soon", "--reason", "r"}, "want a duration such as 30m, 2h or 3d"},
		{[]string{"silence", "m", "--for", "1h", "--format", "yaml"}, "--format must be text or json"},
		{[]string{"unsilence"}, "no silence named"},
	} {
		code, _, errs := runMltop(append(c.args, "--config", cfg)...)
		if code != exitActionUnknown || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, want 2 and %q: %s", c.args, code, c.want, errs)
		}
	}
}

// Whatever a hostile or broken Alertmanager answers reaches the terminal
// as one plain line, and the silence is posted once.
func TestSilenceCommandHostileAlertmanager(t *testing.T) {
	for _, c := range []struct {
		name, body string
		status     int
		code       int
		want       string
	}{
		{"400 with escapes", `"bad matcher \u001b]52;c;cGF3bmVk\u0007\u001b[2J"`, 400, exitActionFailed, "FAILED: HTTP 400 Bad Request: bad matcher"},
		{"500 html", "<html>\n<h1>oops \x1b[31mred</h1>\n</html>", 500, exitActionFailed, "FAILED: HTTP 500 Internal Server Error: <html>"},
		{"200 not json", "<html>login\x1b[0m</html>", 200, exitActionUnknown, "UNKNOWN: an answer that is not Alertmanager's came back"},
	} {
		t.Run(c.name, func(t *testing.T) {
			home := isolate(t)
			posts := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				if r.Method == http.MethodGet {
					_, _ = io.WriteString(w, `[{"labels": {"alertname": "X\u001b[2J", "model": "m"}, "status": {"state": "active"}}]`)
					return
				}
				posts++
				w.WriteHeader(c.status)
				_, _ = io.WriteString(w, c.body)
			}))
			defer srv.Close()
			cfg := writeConfig(t, "prometheus: {url: http://127.0.0.1:9}\nalertmanager: {url: "+srv.URL+"}\n"+
				"audit: {path: "+filepath.Join(home, "a.jsonl")+"}\n")
			var out, errb bytes.Buffer
			code := run([]string{"silence", "m", "--for", "1h", "--reason", "r", "--yes", "--config", cfg, "--log-file", "-"}, &out, &errb)
			if code != c.code || !strings.Contains(out.String(), c.want) {
				t.Errorf("exit %d, want %d and %q:\n%s\n%s", code, c.code, c.want, out.String(), errb.String())
			}
			for _, b := range [][]byte{out.Bytes(), errb.Bytes()} {
				if bytes.ContainsAny(b, "\x1b\x07") {
					t.Errorf("a control byte reached the terminal: %q", b)
				}
			}
			if posts != 1 {
				t.Errorf("%d POSTs, want 1", posts)
			}
			for _, line := range strings.Split(out.String(), "\n") {
				if strings.HasPrefix(line, "FAILED") || strings.HasPrefix(line, "UNKNOWN") {
					if strings.Contains(line, "<h1>") && strings.Contains(line, "</html>") {
						t.Errorf("the whole page in the line: %q", line)
					}
				}
			}
		})
	}
}
