package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/testenv"
)

// The rollout verbs against a real kube-apiserver with the Argo Rollouts
// CRDs: one cluster for every case (it takes seconds to start). No
// controller runs, so the test plays it: it writes the status a controller
// would, runs mltop, and reads back exactly what mltop's patch changed.
func TestRolloutVerbsAgainstAPIServer(t *testing.T) {
	start := time.Now()
	k := testenv.StartKube(t)
	t.Logf("API server up in %s", time.Since(start).Round(100*time.Millisecond))
	bindRole(t, k, "mltop", docsRole(t))
	bindRole(t, k, "reader", map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
		"metadata": map[string]any{"name": "reader"},
		"rules":    []any{map[string]any{"apiGroups": []any{"argoproj.io"}, "resources": []any{"rollouts"}, "verbs": []any{"get"}}}})

	// The engines' cache is under HOME, which isolate changes.
	controller := testenv.ArgoRolloutsControllerEngine.Cached()
	if controller == "" && testenv.Required() {
		controller = testenv.EngineBinary(t, testenv.ArgoRolloutsControllerEngine)
	}
	home := isolate(t)
	auditPath := filepath.Join(home, "audit.jsonl")
	cfg := rolloutConfig(t, k, k.TokenFile(t, "mltop"), auditPath)
	rollout := func(t *testing.T, args ...string) (int, string, string) {
		t.Helper()
		var out, errb strings.Builder
		code := run(append(append([]string{"rollout"}, args...), "--config", cfg, "--log-file", "-"), &out, &errb)
		return code, out.String(), errb.String()
	}

	cases := []struct {
		name    string
		status  string // the controller's status before
		paused  bool   // spec.paused before
		args    []string
		code    int
		out     []string       // in stdout
		after   map[string]any // fields read back after (JSON paths)
		touched bool           // the object changed
	}{
		{name: "abort-paused", status: pausedAtStep1, args: []string{"abort"}, code: exitOK, touched: true,
			out:   []string{"Paused at step 1/4, canary weight 25 (CanaryPauseStep since", "weight 25 → 0, aborted: no → yes", "abort: traffic returns to stable at once; the canary scales down", "SUCCEEDED: abort rollout: rollout default/abort-paused patched (status)", "evidence: ? not enough data: no model \"abort-paused\" in the snapshot"},
			after: map[string]any{"status.abort": true, "status.phase": "Paused", "spec.paused": false}},
		{name: "abort-healthy", status: healthy, args: []string{"abort"}, code: exitActionFailed,
			out: []string{"REFUSED: abort applies only while a rollout is progressing or paused; abort-healthy is Healthy"}},
		{name: "retry-aborted", status: aborted, args: []string{"retry"}, code: exitOK, touched: true,
			out:   []string{"step 1/4 → 0/4, weight 0 → 25, aborted: yes → no", "the update starts again from its first step"},
			after: map[string]any{"status.abort": false}},
		{name: "retry-not-aborted", status: pausedAtStep1, args: []string{"retry"}, code: exitActionFailed,
			out: []string{"REFUSED: retry applies only to an aborted rollout; retry-not-aborted is Paused, not aborted"}},
		{name: "promote-pause-step", status: pausedAtStep1, args: []string{"promote"}, code: exitOK, touched: true,
			out: []string{"step 1/4 → 2/4, weight 25 → 50, paused: yes → no", "the controller moves on to the next step (set weight 50)", "evidence: ? not enough data: no model \"promote-pause-step\" in the snapshot"},
			// As the plugin: only the pause conditions are cleared; the
			// controller moves the step index itself.
			after: map[string]any{"status.pauseConditions": nil, "status.currentStepIndex": 1.0, "spec.paused": false}},
		{name: "promote-progressing", status: progressingAtStep2, args: []string{"promote"}, code: exitOK, touched: true,
			out:   []string{"step 2/4 → 3/4, weight stays 50"},
			after: map[string]any{"status.currentStepIndex": 3.0, "status.pauseConditions": nil}},
		{name: "promote-person-paused", status: pausedAtStep1, paused: true, args: []string{"promote"}, code: exitOK, touched: true,
			out:   []string{"paused by a person; CanaryPauseStep since", "patched (status, spec)"},
			after: map[string]any{"status.pauseConditions": nil, "spec.paused": false}},
		{name: "promote-healthy", status: healthy, args: []string{"promote"}, code: exitActionFailed,
			out: []string{"REFUSED: promote applies only while a rollout is progressing or paused; promote-healthy is Healthy"}},
		{name: "promote-full", status: pausedAtStep1, args: []string{"promote", "--full"}, code: exitOK, touched: true,
			out:   []string{"Promote rollout fully promote-full", "step 1/4 → 4/4, weight 25 → 100", "every remaining step, pause and analysis is skipped", "evidence: ? not enough data: no model \"promote-full\" in the snapshot"},
			after: map[string]any{"status.promoteFull": true}},
		{name: "pause-progressing", status: progressingAtStep2, args: []string{"pause"}, code: exitOK, touched: true,
			out:   []string{"weight stays 50, paused: no → yes", "the rollout holds where it is"},
			after: map[string]any{"spec.paused": true, "status.currentStepIndex": 2.0}},
		{name: "pause-paused", status: pausedAtStep1, args: []string{"pause"}, code: exitActionFailed,
			out: []string{"REFUSED: pause-paused is already paused (CanaryPauseStep since"}},
		{name: "resume-person-paused", status: progressingAtStep2, paused: true, args: []string{"resume"}, code: exitOK, touched: true,
			out:   []string{"paused: yes → no", "the rollout carries on from step 2/4", "evidence: ? not enough data: no model \"resume-person-paused\" in the snapshot"},
			after: map[string]any{"spec.paused": false}},
		{name: "resume-controller-paused", status: pausedAtStep1, args: []string{"resume"}, code: exitActionFailed,
			out: []string{"was paused by the controller (CanaryPauseStep since", "not by a person: promote moves it on"}},
		{name: "resume-not-paused", status: progressingAtStep2, args: []string{"resume"}, code: exitActionFailed,
			out: []string{"REFUSED: resume-not-paused is not paused"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			createRollout(t, k, c.name, c.paused, c.status)
			before := getRollout(t, k, c.name)
			code, out, errs := rollout(t, append(append([]string(nil), c.args...), c.name, "--reason", "test "+c.name, "--yes")...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out, errs)
			}
			for _, want := range c.out {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			after := getRollout(t, k, c.name)
			if moved := field(after, "metadata.resourceVersion") != field(before, "metadata.resourceVersion"); moved != c.touched {
				t.Errorf("object changed: %v, want %v", moved, c.touched)
			}
			for path, want := range c.after {
				if got := field(after, path); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s = %v after, want %v", path, got, want)
				}
			}
			rec := lastRecord(t, auditPath, c.name)
			wantState := audit.Succeeded
			if c.code != exitOK {
				wantState = audit.Refused
			}
			if rec.State != wantState || rec.Reason != "test "+c.name || !strings.HasPrefix(rec.Action, "rollout-") {
				t.Errorf("audit record %+v, want %s with the reason", rec, wantState)
			}
			if c.touched && rec.Before["resourceVersion"] != field(before, "metadata.resourceVersion") {
				t.Errorf("audit before %v lacks the resourceVersion read (%v)", rec.Before, field(before, "metadata.resourceVersion"))
			}
		})
	}

	t.Run("changed-since-plan", func(t *testing.T) {
		// The rollout moves while the operator reads the plan: the patch
		// carries the version the plan showed, and the API server refuses it.
		// (Tags unknown, with typed_name's default rule: the name is typed.)
		createRollout(t, k, "moved", false, pausedAtStep1)
		saved := terminal
		defer func() { terminal = saved }()
		terminal.isTTY = func() bool { return true }
		terminal.in = &onRead{do: func() {
			patchRollout(t, k, "moved", false, map[string]any{"metadata": map[string]any{"labels": map[string]any{"moved": "yes"}}})
		}, text: "moved\n"}
		code, out, errs := rollout(t, "abort", "moved", "--reason", "race")
		if code != exitActionFailed {
			t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, exitActionFailed, out, errs)
		}
		for _, want := range []string{"FAILED: HTTP 409 Conflict: rollout default/moved changed since you looked; look again"} {
			if !strings.Contains(out, want) {
				t.Errorf("stdout lacks %q:\n%s", want, out)
			}
		}
		if got := field(getRollout(t, k, "moved"), "status.abort"); got != nil {
			t.Errorf("status.abort = %v after a refused patch", got)
		}
	})

	t.Run("no-rights", func(t *testing.T) {
		createRollout(t, k, "guarded", false, pausedAtStep1)
		readerCfg := rolloutConfig(t, k, k.TokenFile(t, "reader"), auditPath)
		var out, errb strings.Builder
		code := run([]string{"rollout", "abort", "guarded", "--reason", "r", "--yes", "--config", readerCfg, "--log-file", "-"}, &out, &errb)
		if code != exitActionFailed {
			t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
		}
		if want := "FAILED: HTTP 403 Forbidden: the token may not patch rollouts/status in default (RBAC)"; !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out.String())
		}
		if got := field(getRollout(t, k, "guarded"), "status.abort"); got != nil {
			t.Errorf("status.abort = %v after a forbidden patch", got)
		}
	})

	t.Run("not-found", func(t *testing.T) {
		code, out, errs := rollout(t, "abort", "nowhere", "--reason", "r", "--yes")
		if code != exitActionFailed || !strings.Contains(out, "REFUSED: rollout default/nowhere not found on 127.0.0.1:") {
			t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
		}
	})
	t.Run("audit", func(t *testing.T) {
		var out, errb strings.Builder
		if code := run([]string{"audit", "--config", cfg, "--model", "promote-pause-step"}, &out, &errb); code != exitOK {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		if want := "rollout default/promote-pause-step step 1/4 → 2/4, weight 25 → 50, paused true → false"; !strings.Contains(out.String(), want) {
			t.Errorf("mltop audit lacks %q:\n%s", want, out.String())
		}
	})
	t.Logf("all cases in %s", time.Since(start).Round(100*time.Millisecond))

	// The real controller, last (it takes over every Rollout in default):
	// a canary paused at its pause step is promoted from mltop and the
	// controller moves it on; an abort from mltop makes it Degraded.
	t.Run("controller", func(t *testing.T) {
		if controller == "" {
			t.Skip("the Argo Rollouts controller is not built: `go run ./internal/testenv/cmd/buildengines` builds it, or set MLTOP_REQUIRE_INTEGRATION=1")
		}
		began := time.Now()
		metrics := k.StartArgoController(t, controller)
		t.Logf("controller up in %s", time.Since(began).Round(100*time.Millisecond))
		createRollout(t, k, "live", false, "")
		waitRollout(t, k, "live", "Healthy", func(st map[string]any) bool { return st["phase"] == "Healthy" })
		patchRollout(t, k, "live", false, map[string]any{"spec": map[string]any{"template": map[string]any{
			"spec": map[string]any{"containers": []any{map[string]any{"name": "model", "image": "model:3"}}}}}})
		waitRollout(t, k, "live", "Paused at step 1", func(st map[string]any) bool {
			return st["phase"] == "Paused" && st["currentStepIndex"] == 1.0
		})
		code, out, errs := rollout(t, "promote", "live", "--reason", "controller", "--yes")
		if code != exitOK || !strings.Contains(out, "step 1/4 → 2/4, weight 25 → 50") {
			t.Fatalf("promote: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
		}
		waitRollout(t, k, "live", "Paused at step 3", func(st map[string]any) bool {
			return st["phase"] == "Paused" && st["currentStepIndex"] == 3.0
		})
		screenPhase(t, metrics, "live", "Paused")
		code, out, errs = rollout(t, "abort", "live", "--reason", "controller", "--yes")
		if code != exitOK || !strings.Contains(out, "Paused at step 3/4, canary weight 50") {
			t.Fatalf("abort: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
		}
		waitRollout(t, k, "live", "Degraded", func(st map[string]any) bool { return st["phase"] == "Degraded" && st["abort"] == true })
		screenPhase(t, metrics, "live", "Aborted")
		t.Logf("controller case in %s", time.Since(began).Round(100*time.Millisecond))
		analysisCase(t, k, metrics, cfg, rollout)
	})
}

// The statuses the test writes as the controller would, for steps
// [set weight 25, pause, set weight 50, pause 10m].
const (
	pausedAtStep1 = `{"phase":"Paused","currentStepIndex":1,"controllerPause":true,"currentPodHash":"new1","stableRS":"old0",
		"observedGeneration":"1","pauseConditions":[{"reason":"CanaryPauseStep","startTime":"2026-12-07T05:50:00Z"}]}`
	progressingAtStep2 = `{"phase":"Progressing","currentStepIndex":2,"currentPodHash":"new1","stableRS":"old0","observedGeneration":"1"}`
	aborted            = `{"phase":"Degraded","abort":true,"currentStepIndex":1,"currentPodHash":"new1","stableRS":"old0","observedGeneration":"1"}`
	healthy            = `{"phase":"Healthy","currentStepIndex":4,"currentPodHash":"old0","stableRS":"old0","observedGeneration":"1"}`
)

func rolloutConfig(t *testing.T, k *testenv.Kube, tokenFile, auditPath string) string {
	// The metrics are not read by the rollout verbs: the Rollout is.
	return writeConfig(t, fmt.Sprintf(`prometheus: {url: "http://127.0.0.1:9"}
audit: {path: %s}
actions:
  rollout:
    kind: argo-rollouts
    kubernetes: {server: %q, token_file: %s, ca_file: %s}
    namespace: default
    name: "{{.Model}}"
`, auditPath, k.URL, tokenFile, k.CAFile))
}

func createRollout(t *testing.T, k *testenv.Kube, name string, paused bool, status string) {
	t.Helper()
	obj := map[string]any{"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
		"metadata": map[string]any{"name": name, "namespace": "default"},
		"spec": map[string]any{
			"replicas": 1, "paused": paused,
			"selector": map[string]any{"matchLabels": map[string]any{"app": name}},
			"template": map[string]any{"metadata": map[string]any{"labels": map[string]any{"app": name}},
				"spec": map[string]any{"containers": []any{map[string]any{"name": "model", "image": "model:2"}}}},
			"strategy": map[string]any{"canary": map[string]any{"steps": []any{
				map[string]any{"setWeight": 25}, map[string]any{"pause": map[string]any{}},
				map[string]any{"setWeight": 50}, map[string]any{"pause": map[string]any{"duration": "10m"}}}}},
		}}
	if code, body := k.Do("admin", "POST", "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts", "", obj); code != http.StatusCreated {
		t.Fatalf("create rollout %s: HTTP %d %s", name, code, body)
	}
	if status == "" {
		return // the controller writes it
	}
	var st map[string]any
	if err := json.Unmarshal([]byte(status), &st); err != nil {
		t.Fatal(err)
	}
	patchRollout(t, k, name, true, map[string]any{"status": st})
}

func patchRollout(t *testing.T, k *testenv.Kube, name string, status bool, patch map[string]any) {
	t.Helper()
	path := "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/" + name
	if status {
		path += "/status"
	}
	if code, body := k.Do("admin", "PATCH", path, "application/merge-patch+json", patch); code != http.StatusOK {
		t.Fatalf("patch rollout %s: HTTP %d %s", name, code, body)
	}
}

func getRollout(t *testing.T, k *testenv.Kube, name string) map[string]any {
	t.Helper()
	code, body := k.Do("admin", "GET", "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/"+name, "", nil)
	if code != http.StatusOK {
		t.Fatalf("get rollout %s: HTTP %d %s", name, code, body)
	}
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

// field reads a dotted path of object keys; nil when absent.
func field(obj map[string]any, path string) any {
	var v any = obj
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// bindRole creates role in default and binds it to user.
func bindRole(t *testing.T, k *testenv.Kube, user string, role map[string]any) {
	t.Helper()
	name := user + "-" + field(role, "metadata.name").(string)
	role["metadata"] = map[string]any{"name": name, "namespace": "default"}
	if code, body := k.Do("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", "", role); code != http.StatusCreated {
		t.Fatalf("create role: HTTP %d %s", code, body)
	}
	binding := map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
		"metadata": map[string]any{"name": name, "namespace": "default"},
		"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
		"subjects": []any{map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": user}}}
	if code, body := k.Do("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", "", binding); code != http.StatusCreated {
		t.Fatalf("create role binding: HTTP %d %s", code, body)
	}
}

// docsRole is the RBAC Role docs/actions.md gives for kind argo-rollouts:
// the tests run every verb with exactly it.
func docsRole(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "actions.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		var role map[string]any
		if yaml.Unmarshal([]byte(m[1]), &role) == nil && role["kind"] == "Role" && strings.Contains(m[1], "argoproj.io") {
			return role
		}
	}
	t.Fatal("docs/actions.md has no yaml block with the Role for argo-rollouts")
	return nil
}

// lastRecord is the audit log's last record about model.
func lastRecord(t *testing.T, path, model string) audit.Record {
	t.Helper()
	rs, _, err := audit.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Model == model {
			return rs[i]
		}
	}
	t.Fatalf("no audit record about %s", model)
	return audit.Record{}
}

// onRead runs do when first read (between the plan and the confirmation),
// then reads as text.
type onRead struct {
	do   func()
	text string
	done bool
}

func (r *onRead) Read(p []byte) (int, error) {
	if !r.done {
		r.done = true
		r.do()
	}
	if r.text == "" {
		return 0, io.EOF
	}
	n := copy(p, r.text)
	r.text = r.text[n:]
	return n, nil
}

// waitRollout plays the kubelet (ReplicaSets become ready) until the
// Rollout's status satisfies ok, for at most a minute.
func waitRollout(t *testing.T, k *testenv.Kube, name, what string, ok func(status map[string]any) bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		k.ReadyReplicaSets(t)
		obj := getRollout(t, k, name)
		st, _ := obj["status"].(map[string]any)
		if st != nil && ok(st) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("rollout %s not %s after a minute; status %v", name, what, st)
		}
		time.Sleep(100 * time.Millisecond) // polling the controller's progress
	}
}

// screenPhase checks what mltop shows of the rollout, from the
// controller's own metrics (profile argo-rollouts): one poll, as JSON.
func screenPhase(t *testing.T, metricsURL, model, phase string) {
	t.Helper()
	cfg := writeConfig(t, fmt.Sprintf("prometheus: {profile: [argo-rollouts]}\nscrape:\n  interval: 1s\n  targets: [%s]\n", metricsURL))
	var out, errb strings.Builder
	run([]string{"snapshot", "--format", "json", "--config", cfg, "--wait", "5s", "--log-file", "-"}, &out, &errb)
	var snap struct {
		Models []struct {
			Name    string `json:"name"`
			Rollout *struct {
				Phase string `json:"phase"`
			} `json:"rollout"`
		} `json:"models"`
	}
	if err := json.Unmarshal([]byte(out.String()), &snap); err != nil {
		t.Fatalf("snapshot: %v\nstdout: %s\nstderr: %s", err, out.String(), errb.String())
	}
	for _, m := range snap.Models {
		if m.Name == model {
			if m.Rollout == nil || m.Rollout.Phase != phase {
				t.Errorf("mltop shows %s's rollout as %+v, want phase %s", model, m.Rollout, phase)
			}
			return
		}
	}
	t.Errorf("mltop's snapshot has no model %s:\n%s\n%s", model, out.String(), errb.String())
}
