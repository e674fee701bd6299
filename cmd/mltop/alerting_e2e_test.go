package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"go.yaml.in/yaml/v3"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/rules"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/ui/alertscreen"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/fleetscreen"
	"github.com/mltop/mltop/ui/uitest"
)

// e2eThresholds put fraud past every check the exporter below can break:
// 20 % errors against 5 %, 10 % of requests slower than 50ms, AUC 0.70
// against 0.86 offline, labels 90m old against 1h, PSI 0.4 on a feature,
// a Degraded rollout, and a 99.9 % objective its errors burn through.
const e2eThresholds = `thresholds:
  error_rate: 0.05
  latency_p95: 50ms
  label_age: 1h
  availability: 0.999
`

// TestAlertingEndToEnd is issue 18's chain, through the commands a user
// runs: mltop rules writes the rule file; a real Prometheus evaluates that
// file over an exporter and sends to a real Alertmanager; mltop snapshot
// and the dashboard's screens show the alerts with the names and
// severities the rules gave them; mltop silence silences the model (the
// silence as Alertmanager lists it, the alerts suppressed, mltop naming
// who silenced them, the audit log); mltop unsilence makes them fire
// again.
func TestAlertingEndToEnd(t *testing.T) {
	home := isolate(t)
	t.Setenv("USER", "ana")
	am := testenv.StartAlertmanager(t)
	latency := []float64{0.05, 0.1}
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{
		{Model: "fraud", Version: "7", Track: "stable", RPS: 50, ErrorsPerSec: 10, Weight: 100,
			LatencyBounds: latency, LatencyShares: []float64{0.9, 1}, LabeledShare: 0.5,
			Performance: map[string]float64{"auc": 0.70}, Offline: map[string]float64{"auc": 0.86},
			DriftPSI: map[string]float64{"amount": 0.4}},
		// churn breaks nothing: no alert may name it.
		{Model: "churn", Version: "3", Track: "stable", RPS: 20, Weight: 100,
			LatencyBounds: latency, LatencyShares: []float64{1, 1},
			Performance: map[string]float64{"auc": 0.85}, Offline: map[string]float64{"auc": 0.86},
			DriftPSI: map[string]float64{"tenure": 0.02}},
	}, map[string][4]string{"fraud": {"Degraded", "canary", "1", "4"}})

	base := e2eThresholds + "alertmanager: {url: " + am.URL + "}\naudit: {path: " + filepath.Join(home, "audit.jsonl") + "}\n"
	cfg := writeConfig(t, base)
	rulePath := filepath.Join(t.TempDir(), "mltop.rules.yaml")
	if code, out, errs := runMltop("rules", "--config", cfg, "--output", rulePath, "--interval", "1s", "--for-scale", "0.01"); code != exitOK {
		t.Fatalf("mltop rules: exit %d\n%s%s", code, out, errs)
	}
	written := readRuleFile(t, rulePath)
	prom := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{
		Targets: []string{exp.URL}, Interval: time.Second,
		RuleFiles: []string{rulePath}, EvaluationInterval: time.Second, Alertmanagers: []string{am.URL},
	})
	checkRulesLoaded(t, prom.URL, rulePath, written)
	if err := os.WriteFile(cfg, []byte(base+"prometheus: {url: "+prom.URL+"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	// Every rule written fires on fraud, but the silent model's: it serves.
	want := map[string]bool{}
	for _, r := range written {
		if r.Alert != rules.AlertSilent {
			want[r.Alert+"/"+r.Labels["severity"]] = true
		}
	}
	for _, must := range []string{rules.AlertErrorRatio + "/critical", rules.AlertLabelsOld + "/warning", rules.AlertDrift + "/warning",
		rules.AlertRollout + "/critical", rules.AlertLatencySLO + "/warning", rules.AlertBurnRate + "/critical", rules.AlertQualityDrop + "/critical"} {
		if !want[must] {
			t.Fatalf("the rule file has no %s: %v", must, want)
		}
	}
	eventually(t, 2*time.Minute, "every alert firing for fraud in Alertmanager", func() (bool, string) {
		as := amAlerts(t, am.URL)
		return sameKeys(amKeys(as, "fraud", "active"), want), amSummary(as)
	})
	if as := amAlerts(t, am.URL); len(amKeys(as, "churn", "")) > 0 {
		t.Errorf("alerts on churn, which breaks nothing: %s", amSummary(as))
	}

	snap := snapshotJSON(t, cfg)
	fraud, churn := snap.model("fraud"), snap.model("churn")
	if got := fraud.keys("firing"); !sameKeys(got, want) {
		t.Errorf("mltop snapshot: fraud's firing alerts %v, want %v", got, want)
	}
	if churn.Alerts == nil || len(*churn.Alerts) != 0 {
		t.Errorf("mltop snapshot: churn's alerts %v, want []", churn.Alerts)
	}
	for _, a := range fraud.list() {
		if a.Name == rules.AlertErrorRatio && a.Severity == rules.Critical &&
			(a.Version == nil || *a.Version != "7" || a.Summary == nil || *a.Summary != "fraud v7: error ratio 20% ≥ 5%") {
			t.Errorf("mltop snapshot: the critical error alert %+v", a)
		}
	}
	if src := snap.source(snap.Alerts.Source); src.Backend != "alertmanager" || !src.OK || !snap.Alerts.Known || snap.Alerts.Firing != len(want) {
		t.Errorf("mltop snapshot: fleet-wide alerts %+v from %+v, want %d firing from Alertmanager", snap.Alerts, src, len(want))
	}

	a := dashboardApp(t, cfg)
	view := pollApp(t, a, "fraud's alerts firing on screen", func(s fleet.Snapshot) bool {
		return len(modelAlerts(s, "fraud", fleet.AlertFiring)) == len(want)
	})
	fleetView, alertsView := alertScreens(view)
	if line := lineWith(fleetView, "fraud"); !strings.Contains(line, fmt.Sprintf("🔔%d", len(want))) {
		t.Errorf("fleet screen: fraud's line has no bell for %d alerts: %q\n%s", len(want), line, fleetView)
	}
	if line := lineWith(fleetView, "churn"); strings.Contains(line, "🔔") {
		t.Errorf("fleet screen: churn rings: %q", line)
	}
	for key := range want {
		name, severity, _ := strings.Cut(key, "/")
		if !hasLine(alertsView, "firing", name, "fraud", severity) {
			t.Errorf("alerts screen: no firing line for %s:\n%s", key, alertsView)
		}
	}

	// Silence the model from the command line.
	sent := time.Now()
	code, out, errs := runMltop("silence", "fraud", "--for", "1h", "--reason", "INC-7 known outage", "--yes", "--format", "json", "--config", cfg)
	done := time.Now()
	if code != exitOK {
		t.Fatalf("mltop silence: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if !strings.Contains(errs, "matches now: "+rules.AlertErrorRatio+" v7 critical (firing") {
		t.Errorf("the plan does not name the firing alert:\n%s", errs)
	}
	var res actionJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Outcome != "succeeded" || res.SilenceID == "" {
		t.Fatalf("mltop silence: %v %+v", err, res)
	}
	ss := listSilences(t, am.URL)
	if len(ss) != 1 || ss[0].ID != res.SilenceID || len(ss[0].Matchers) != 1 {
		t.Fatalf("Alertmanager lists %+v, want the one silence %s", ss, res.SilenceID)
	}
	s := ss[0]
	if m := s.Matchers[0]; m.Name != "model" || m.Value != "fraud" || m.IsRegex || !m.IsEqual {
		t.Errorf("matcher %+v, want model=\"fraud\" exactly", m)
	}
	if s.CreatedBy != "ana" || s.Comment != "INC-7 known outage (mltop request "+res.RequestID+")" || s.Status.State != "active" {
		t.Errorf("silence createdBy %q, comment %q, state %s", s.CreatedBy, s.Comment, s.Status.State)
	}
	if s.EndsAt.Before(sent.Add(time.Hour-time.Second)) || s.EndsAt.After(done.Add(time.Hour+time.Second)) {
		t.Errorf("endsAt %s is not 1h after the command ran (%s to %s)", s.EndsAt, sent, done)
	}
	eventually(t, time.Minute, "fraud's alerts suppressed by the silence", func() (bool, string) {
		as := amAlerts(t, am.URL)
		for _, x := range as {
			if x.Labels["model"] == "fraud" && !slices.Equal(x.Status.SilencedBy, []string{res.SilenceID}) {
				return false, amSummary(as)
			}
		}
		return sameKeys(amKeys(as, "fraud", "suppressed"), want), amSummary(as)
	})

	snap = snapshotJSON(t, cfg)
	if got := snap.model("fraud").keys("suppressed"); !sameKeys(got, want) {
		t.Errorf("mltop snapshot after the silence: fraud's suppressed alerts %v, want %v", got, want)
	}
	for _, x := range snap.model("fraud").list() {
		if len(x.SilencedBy) != 1 || x.SilencedBy[0].ID != res.SilenceID || x.SilencedBy[0].Author == nil || *x.SilencedBy[0].Author != "ana" {
			t.Errorf("mltop snapshot: %s is not silenced by ana's %s: %+v", x.Name, res.SilenceID, x.SilencedBy)
		}
	}
	view = pollApp(t, a, "fraud's alerts silenced on screen", func(s fleet.Snapshot) bool {
		return len(modelAlerts(s, "fraud", fleet.AlertSuppressed)) == len(want)
	})
	fleetView, alertsView = alertScreens(view)
	if line := lineWith(fleetView, "fraud"); strings.Contains(line, "🔔") {
		t.Errorf("fleet screen: fraud still rings though silenced: %q", line)
	}
	until := common.ClockTime(s.EndsAt, view.TakenAt)
	for key := range want {
		name, severity, _ := strings.Cut(key, "/")
		if !hasLine(alertsView, "silenced", name, "fraud", severity, "ana until "+until+": INC-7 known outage") {
			t.Errorf("alerts screen: %s is not silenced by ana until %s:\n%s", key, until, alertsView)
		}
	}

	code, out, _ = runMltop("audit", "--config", cfg)
	if code != exitOK || !strings.Contains(out, `succeeded  silence (Silence alerts)  fraud  silence model="fraud" for 1h`) {
		t.Errorf("mltop audit: exit %d, no silence record:\n%s", code, out)
	}
	recs, _, err := audit.Read(filepath.Join(home, "audit.jsonl"))
	if err != nil || len(recs) != 2 {
		t.Fatalf("audit log: %v, %d records", err, len(recs))
	}
	if r := recs[1]; r.Action != "silence" || r.Model != "fraud" || r.State != audit.Succeeded || r.Actor.User != "ana" ||
		r.Response == nil || r.Response.RunID != res.SilenceID {
		t.Errorf("the silence's audit record: %+v", r)
	}

	// Expire it: the alerts fire again, everywhere.
	if code, out, errs := runMltop("unsilence", res.SilenceID, "--reason", "INC-7 resolved", "--yes", "--config", cfg); code != exitOK {
		t.Fatalf("mltop unsilence: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if st := listSilences(t, am.URL)[0].Status.State; st != "expired" {
		t.Errorf("the silence is %s after unsilence", st)
	}
	eventually(t, time.Minute, "fraud's alerts active again in Alertmanager", func() (bool, string) {
		as := amAlerts(t, am.URL)
		return sameKeys(amKeys(as, "fraud", "active"), want), amSummary(as)
	})
	if got := snapshotJSON(t, cfg).model("fraud").keys("firing"); !sameKeys(got, want) {
		t.Errorf("mltop snapshot after unsilence: fraud's firing alerts %v, want %v", got, want)
	}
	code, out, _ = runMltop("audit", "--config", cfg)
	if code != exitOK || !strings.Contains(out, `succeeded  unsilence (Expire silence)  fraud  expire silence `+res.SilenceID) {
		t.Errorf("mltop audit: exit %d, no unsilence record:\n%s", code, out)
	}
}

// writtenRule is a rule as the file mltop rules wrote holds it.
type writtenRule struct {
	Alert  string            `yaml:"alert"`
	For    string            `yaml:"for"`
	Labels map[string]string `yaml:"labels"`
}

func readRuleFile(t *testing.T, path string) []writtenRule {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Groups []struct {
			Name     string        `yaml:"name"`
			Interval string        `yaml:"interval"`
			Rules    []writtenRule `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(f.Groups) != 1 || f.Groups[0].Name != rules.GroupName || f.Groups[0].Interval != "1s" {
		t.Fatalf("%s: groups %+v", path, f.Groups)
	}
	return f.Groups[0].Rules
}

// checkRulesLoaded: Prometheus evaluates exactly the rules of the file,
// with their for: durations.
func checkRulesLoaded(t *testing.T, promURL, path string, written []writtenRule) {
	t.Helper()
	var body struct {
		Data struct {
			Groups []struct {
				Name  string `json:"name"`
				File  string `json:"file"`
				Rules []struct {
					Name     string            `json:"name"`
					Type     string            `json:"type"`
					Duration float64           `json:"duration"`
					Labels   map[string]string `json:"labels"`
				} `json:"rules"`
			} `json:"groups"`
		} `json:"data"`
	}
	getJSON(t, promURL+"/api/v1/rules", &body)
	gs := body.Data.Groups
	if len(gs) != 1 || gs[0].Name != rules.GroupName || gs[0].File != path || len(gs[0].Rules) != len(written) {
		t.Fatalf("Prometheus loaded %+v, want the %d rules of %s", gs, len(written), path)
	}
	for i, r := range gs[0].Rules {
		w := written[i]
		d, err := time.ParseDuration(w.For)
		if err != nil || r.Type != "alerting" || r.Name != w.Alert || r.Labels["severity"] != w.Labels["severity"] || r.Duration != d.Seconds() {
			t.Errorf("rule %d: Prometheus has %+v, the file %+v", i, r, w)
		}
	}
}

// amAlert is an alert as Alertmanager lists it.
type amAlert struct {
	Labels map[string]string `json:"labels"`
	Status struct {
		State      string   `json:"state"`
		SilencedBy []string `json:"silencedBy"`
	} `json:"status"`
}

func amAlerts(t *testing.T, amURL string) []amAlert {
	t.Helper()
	var as []amAlert
	getJSON(t, amURL+"/api/v2/alerts", &as)
	return as
}

// amKeys are the alertname/severity of model's alerts in state ("" any).
func amKeys(as []amAlert, model, state string) map[string]bool {
	out := map[string]bool{}
	for _, a := range as {
		if a.Labels["model"] == model && (state == "" || a.Status.State == state) {
			out[a.Labels["alertname"]+"/"+a.Labels["severity"]] = true
		}
	}
	return out
}

func amSummary(as []amAlert) string {
	var b strings.Builder
	for _, a := range as {
		fmt.Fprintf(&b, "\n  %s/%s model=%s %s %v", a.Labels["alertname"], a.Labels["severity"], a.Labels["model"], a.Status.State, a.Status.SilencedBy)
	}
	return b.String()
}

func sameKeys(got, want map[string]bool) bool {
	if len(got) != len(want) {
		return false
	}
	for k := range want {
		if !got[k] {
			return false
		}
	}
	return true
}

func getJSON(t *testing.T, url string, into any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d %v: %s", url, resp.StatusCode, err, b)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("GET %s: %v: %s", url, err, b)
	}
}

// eventually checks cond every 250ms until it holds, failing the test
// after limit with what cond last said.
func eventually(t *testing.T, limit time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s, still not %s; last: %s", limit, what, state)
		}
		<-tick.C
	}
}

// snapshotE2E is the part of mltop snapshot's JSON this test reads.
type snapshotE2E struct {
	Sources []sourceE2E `json:"sources"`
	Models  []modelE2E  `json:"models"`
	Alerts  struct {
		Source string `json:"source"`
		Known  bool   `json:"known"`
		Firing int    `json:"firing"`
	} `json:"alerts"`
}

type alertE2E struct {
	Name       string  `json:"name"`
	State      string  `json:"state"`
	Severity   string  `json:"severity"`
	Version    *string `json:"version"`
	Summary    *string `json:"summary"`
	SilencedBy []struct {
		ID     string  `json:"id"`
		Author *string `json:"author"`
	} `json:"silenced_by"`
}

type modelE2E struct {
	Name   string      `json:"name"`
	Alerts *[]alertE2E `json:"alerts"` // null: unknown
}

type sourceE2E struct {
	Name    string `json:"name"`
	Backend string `json:"backend"`
	OK      bool   `json:"ok"`
}

func (s snapshotE2E) source(name string) sourceE2E {
	for _, x := range s.Sources {
		if x.Name == name {
			return x
		}
	}
	return sourceE2E{}
}

func (s snapshotE2E) model(name string) modelE2E {
	for _, m := range s.Models {
		if m.Name == name {
			return m
		}
	}
	return modelE2E{}
}

func (m modelE2E) list() []alertE2E {
	if m.Alerts == nil {
		return nil
	}
	return *m.Alerts
}

// keys are the alertname/severity of the model's alerts in state.
func (m modelE2E) keys(state string) map[string]bool {
	out := map[string]bool{}
	for _, a := range m.list() {
		if a.State == state {
			out[a.Name+"/"+a.Severity] = true
		}
	}
	return out
}

// snapshotJSON runs mltop snapshot --format json.
func snapshotJSON(t *testing.T, cfg string) snapshotE2E {
	t.Helper()
	code, out, errs := runMltop("snapshot", "--format", "json", "--config", cfg)
	if code != exitOK {
		t.Fatalf("mltop snapshot: exit %d\n%s", code, errs)
	}
	var s snapshotE2E
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("mltop snapshot: %v\n%s", err, out)
	}
	return s
}

// dashboardApp builds what the dashboard runs on from the config file, as
// mltop does.
func dashboardApp(t *testing.T, path string) *wiring.App {
	t.Helper()
	g := globalFlags{configPath: path}
	cfg, _, err := g.loadConfig(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	a, err := wiring.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return a
}

// pollApp polls a every 250ms until ok holds for a snapshot.
func pollApp(t *testing.T, a *wiring.App, what string, ok func(fleet.Snapshot) bool) fleet.Snapshot {
	t.Helper()
	var snap fleet.Snapshot
	eventually(t, time.Minute, what, func() (bool, string) {
		snap = a.Poller.PollOnce(context.Background())
		b, _ := json.Marshal(snap.Alerts)
		return ok(snap), string(b)
	})
	return snap
}

func modelAlerts(s fleet.Snapshot, model, state string) []fleet.Alert {
	var out []fleet.Alert
	for _, m := range s.Models {
		if m.Name == model {
			for _, a := range m.Alerts {
				if a.State == state {
					out = append(out, a)
				}
			}
		}
	}
	return out
}

// alertScreens draws the fleet and the :alerts screen over snap, as the
// dashboard does.
func alertScreens(snap fleet.Snapshot) (fleetView, alertsView string) {
	c := uitest.Common("dark")
	c.Now = snap.TakenAt
	c.Snapshot = &snap
	f := fleetscreen.New(c)
	f.SetSize(200, 30)
	al := alertscreen.New(c, "")
	al.SetSize(200, 40)
	return ansi.Strip(f.View()), ansi.Strip(al.View())
}

func lineWith(view, s string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// hasLine: some line of view holds every one of parts.
func hasLine(view string, parts ...string) bool {
	for _, l := range strings.Split(view, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l, p)
		}
		if all {
			return true
		}
	}
	return false
}
