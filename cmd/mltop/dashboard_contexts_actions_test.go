package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// An action plans and runs in the context it was asked in: its dialog
// names the context, the request and the audit record carry it, and a
// read-only context refuses without planning anything.
func TestDashboardContextActionPlan(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(hook.Close)
	retrain := "actions:\n  retrain:\n    kind: webhook\n    url: " + hook.URL + "\n"
	tc := startTwoContexts(t, map[string]string{"prod": "read_only: true\n" + retrain, "staging": retrain})
	d := tc.D

	d.Keys("T")
	d.Until("prod refuses", 10*time.Second, func() bool { return d.Shows("read-only in context prod") })
	if model, _ := tc.Switcher.Root("prod").ActionDialog(); model != "" {
		t.Fatalf("a read-only context opened a plan for %s", model)
	}

	tc.ctx("staging", "staging")
	tc.waitFleet("staging")
	staging := tc.Switcher.Root("staging")
	d.Keys("T")
	d.Until("the plan names its context", 30*time.Second, func() bool {
		_, armed := staging.ActionDialog()
		return armed && d.Shows("staging: Retrain churn", "context", "staging")
	})
	if !strings.Contains(statusLine(d.Plain()), "staging") {
		t.Fatalf("status line under the dialog: %q", statusLine(d.Plain()))
	}
	d.Keys("weekly", "tab", "tab", "enter")
	d.Until("the webhook was called", 30*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(bodies) > 0
	})
	mu.Lock()
	if len(bodies) != 1 || !strings.Contains(bodies[0], "churn") {
		t.Errorf("webhook bodies: %q", bodies)
	}
	mu.Unlock()

	var audit string
	d.Until("the audit record of staging", 30*time.Second, func() bool {
		b, _ := os.ReadFile(tc.Cfg.Contexts[1].Config.Audit.Path)
		audit = string(b)
		return strings.Contains(audit, `"state":"succeeded"`)
	})
	for _, line := range strings.Split(strings.TrimSpace(audit), "\n") {
		if !strings.Contains(line, `"context":"staging"`) {
			t.Errorf("an audit record without its context: %s", line)
		}
	}
	if b, err := os.ReadFile(tc.Cfg.Contexts[0].Config.Audit.Path); err == nil && strings.Contains(string(b), "staging") {
		t.Errorf("prod's audit log holds staging's action: %s", b)
	}
}
