package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/detailscreen"
	"github.com/mltop/mltop/ui/uitest"
)

// analysisCase runs a canary whose step analysis (two web metrics against
// a server in this test: one answers ok, the other not) fails under the
// real controller, and checks that mltop's snapshot of the controller's
// /metrics lists the run and each metric's phase.
func analysisCase(t *testing.T, k *testenv.Kube, metricsURL, actionsCfg string, rollout func(*testing.T, ...string) (int, string, string)) {
	t.Helper()
	check := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprintf(w, `{"ok": %t}`, r.URL.Path == "/good")
	}))
	t.Cleanup(check.Close)
	metric := func(name, path string) map[string]any {
		return map[string]any{"name": name, "successCondition": "result == true",
			"provider": map[string]any{"web": map[string]any{"url": check.URL + path, "jsonPath": "{$.ok}"}}}
	}
	tmpl := map[string]any{"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisTemplate",
		"metadata": map[string]any{"name": "canary-check", "namespace": "default"},
		"spec":     map[string]any{"metrics": []any{metric("error-rate", "/bad"), metric("latency", "/good")}}}
	if code, body := k.Do("admin", "POST", "/apis/argoproj.io/v1alpha1/namespaces/default/analysistemplates", "", tmpl); code != http.StatusCreated {
		t.Fatalf("create analysis template: HTTP %d %s", code, body)
	}
	obj := map[string]any{"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
		"metadata": map[string]any{"name": "judged", "namespace": "default"},
		"spec": map[string]any{
			"replicas": 1,
			"selector": map[string]any{"matchLabels": map[string]any{"app": "judged"}},
			"template": map[string]any{"metadata": map[string]any{"labels": map[string]any{"app": "judged"}},
				"spec": map[string]any{"containers": []any{map[string]any{"name": "model", "image": "model:2"}}}},
			"strategy": map[string]any{"canary": map[string]any{"steps": []any{
				map[string]any{"setWeight": 25},
				map[string]any{"analysis": map[string]any{"templates": []any{map[string]any{"templateName": "canary-check"}}}},
				map[string]any{"pause": map[string]any{}}}}},
		}}
	if code, body := k.Do("admin", "POST", "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts", "", obj); code != http.StatusCreated {
		t.Fatalf("create rollout judged: HTTP %d %s", code, body)
	}
	waitRollout(t, k, "judged", "Healthy", func(st map[string]any) bool { return st["phase"] == "Healthy" })
	patchRollout(t, k, "judged", false, map[string]any{"spec": map[string]any{"template": map[string]any{
		"spec": map[string]any{"containers": []any{map[string]any{"name": "model", "image": "model:3"}}}}}})
	// A failed step analysis aborts the update.
	waitRollout(t, k, "judged", "aborted by its analysis", func(st map[string]any) bool { return st["abort"] == true })

	// What the controller exports of it, as it exports it.
	series := scrapeAnalysis(t, metricsURL)
	t.Logf("the controller's analysis series:\n%s", series)
	inspectedOnScreen(t, actionsCfg, "judged")

	// The plan says why the controller aborted it.
	code, plan, errs := rollout(t, "retry", "judged", "--reason", "analysis", "--yes")
	if want := `the controller says: RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase error/failed: Metric "error-rate" assessed Failed`; code != exitOK || !strings.Contains(plan, want) {
		t.Errorf("retry judged: exit %d; the plan lacks %q\nstdout: %s\nstderr: %s", code, want, plan, errs)
	}

	cfg := writeConfig(t, fmt.Sprintf("prometheus: {profile: [argo-rollouts]}\nscrape:\n  interval: 1s\n  targets: [%s]\n", metricsURL))
	var out, errb strings.Builder
	run([]string{"snapshot", "--format", "json", "--config", cfg, "--wait", "5s", "--log-file", "-"}, &out, &errb)
	var snap struct {
		Models []struct {
			Name    string `json:"name"`
			Rollout *struct {
				Analysis []struct {
					Name    string `json:"name"`
					Phase   string `json:"phase"`
					Metrics []struct {
						Name  string `json:"name"`
						Phase string `json:"phase"`
					} `json:"metrics"`
				} `json:"analysis"`
			} `json:"rollout"`
		} `json:"models"`
	}
	if err := json.Unmarshal([]byte(out.String()), &snap); err != nil {
		t.Fatalf("snapshot: %v\nstdout: %s\nstderr: %s", err, out.String(), errb.String())
	}
	for _, m := range snap.Models {
		if m.Name != "judged" {
			continue
		}
		if m.Rollout == nil || len(m.Rollout.Analysis) != 1 {
			t.Fatalf("mltop shows judged's rollout as %+v; want one analysis run", m.Rollout)
		}
		a := m.Rollout.Analysis[0]
		got := fmt.Sprintf("%s %v", a.Phase, a.Metrics)
		if !strings.HasPrefix(a.Name, "judged-") || !strings.HasSuffix(a.Name, "-2-1") || got != "Failed [{error-rate Failed} {latency Successful}]" {
			t.Errorf("mltop shows the analysis run %s as %s; want judged-<hash>-2-1 Failed [{error-rate Failed} {latency Successful}]", a.Name, got)
		}
		return
	}
	t.Errorf("mltop's snapshot has no model judged:\n%s\n%s", out.String(), errb.String())
}

// scrapeAnalysis reads the controller's analysis_run_* series once the
// run of judged has its final phase there.
func scrapeAnalysis(t *testing.T, metricsURL string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(metricsURL)
		if err != nil {
			t.Fatalf("scrape the controller: %v", err)
		}
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		var lines []string
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "analysis_run_info{") || strings.HasPrefix(l, "analysis_run_metric_phase{") {
				lines = append(lines, l)
			}
		}
		text := strings.Join(lines, "\n")
		if strings.Contains(text, `phase="Failed"} 1`) {
			return text
		}
		if time.Now().After(deadline) {
			t.Fatalf("no failed analysis run in the controller's metrics after 30s:\n%s", text)
		}
		time.Sleep(200 * time.Millisecond) // polling the controller's progress
	}
}

// inspectedOnScreen opens model's detail screen on an executor built from
// cfg, as the dashboard does, and checks that the Rollout section shows
// the AnalysisRun the controller made, read from the API server: each
// metric's phase and measured value, and why the run failed.
func inspectedOnScreen(t *testing.T, cfgPath, model string) {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := actions.New(actions.Options{Actions: cfg.Actions, Audit: audit.New(cfg.Audit.Path)})
	if err != nil {
		t.Fatal(err)
	}
	c := uitest.Common("dark")
	c.Snapshot = &fleet.Snapshot{TakenAt: c.Now, Models: []fleet.Model{{Name: model, Rollout: &fleet.Rollout{Phase: "Degraded"}}}}
	c.Actions = ex
	m := detailscreen.New(c, model)
	m.SetSize(200, 40)
	var answered bool
	for _, msg := range uitest.Run(m.Init()) {
		if a, ok := msg.(common.RolloutInspectionMsg); ok {
			answered = true
			if a.Err != nil {
				t.Fatalf("inspect %s: %v", model, a.Err)
			}
			m.Update(msg)
		}
	}
	if !answered {
		t.Fatal("the detail screen did not read the rollout")
	}
	view := uitest.Plain(m)
	for _, want := range []string{"(step) · error-rate ✖ Failed measured false (1 of 1 failed) · latency ✔ Successful measured true (0 of 1 failed)",
		`says: Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)`,
		"aborted: traffic is back on stable", "controller says: RolloutAborted: Rollout aborted update to revision 2"} {
		if !strings.Contains(view, want) {
			t.Errorf("the detail screen lacks %q:\n%s", want, view)
		}
	}
}
