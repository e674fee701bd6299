package actions

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/sources/mlflow"
)

// shortClient speaks to reg with a per-request timeout far below the
// action's limit, as the dashboard's registry client does (10 s default
// against a rollback's 30 s or 60 s).
func shortClient(t *testing.T, reg *registry, d time.Duration) *mlflow.Client {
	t.Helper()
	c, err := mlflow.NewClient(mlflow.Options{TrackingURI: reg.rc.URL, Getenv: func(string) string { return "" }, Timeout: d})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRegistryRollbackWaitsTheActionsLimitNotTheClientsTimeout(t *testing.T) {
	reg := newRegistry(t)
	reg.onWrite = func(w http.ResponseWriter, c captured) bool {
		time.Sleep(300 * time.Millisecond) // a registry slower than the client's own timeout
		return false
	}
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias, Timeout: 10 * time.Second}},
		shortClient(t, reg, 50*time.Millisecond))
	res := f.ex.Execute(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Confirm: "payments-fraud", Actor: f.actor})
	if res.Outcome != Succeeded {
		t.Fatalf("outcome %s: %s; the registry answered within the action's 10s limit", res.Outcome, res.Message)
	}
	if got := f.states(t, res.ID); !slices.Equal(got, []audit.State{audit.Requested, audit.Succeeded}) {
		t.Errorf("recorded %v", got)
	}
}

func TestRegistryRollbackTimeOutNamesTheLimitThatApplied(t *testing.T) {
	reg := newRegistry(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // before the server closes: cleanups run last-first
	reg.onWrite = func(w http.ResponseWriter, c captured) bool {
		<-release
		return true
	}
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias, Timeout: 200 * time.Millisecond}},
		shortClient(t, reg, 10*time.Second))
	res := f.ex.Execute(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Confirm: "payments-fraud", Actor: f.actor})
	if res.Outcome != Unknown {
		t.Fatalf("outcome %s: %s", res.Outcome, res.Message)
	}
	mustContain(t, "message", res.Message, "no answer within 200ms", "alias champion of payments-fraud may or may not have moved")
	if res.Duration > 5*time.Second {
		t.Errorf("took %s: the 200ms limit did not apply", res.Duration)
	}
	last := f.records(t)[len(f.records(t))-1]
	if last.State != audit.Unknown || last.Response == nil {
		t.Fatalf("record %+v", last)
	}
	mustContain(t, "audit message", last.Response.Message, "no answer within 200ms")
}

func TestRegistryActionsCarryTheRequestIDAsIdempotencyKey(t *testing.T) {
	for _, kind := range []string{kindMLflowAlias, kindMLflowStage} {
		t.Run(kind, func(t *testing.T) {
			reg := newRegistry(t)
			f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kind}}, reg.client)
			res := f.ex.Execute(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Confirm: "payments-fraud", Actor: f.actor})
			if res.Outcome != Succeeded {
				t.Fatalf("outcome %s: %s", res.Outcome, res.Message)
			}
			ws := reg.writes()
			if len(ws) != 1 {
				t.Fatalf("%d writes", len(ws))
			}
			if got := ws[0].Header.Get("Idempotency-Key"); got != res.ID || got == "" {
				t.Errorf("Idempotency-Key %q, want the request id %q", got, res.ID)
			}
			for _, c := range reg.rc.requests() {
				if c.Method == http.MethodGet && c.Header.Get("Idempotency-Key") != "" {
					t.Errorf("read %s carries an Idempotency-Key", c.Path)
				}
			}
		})
	}
}

// A write answered 200 by something that is not MLflow (a sign-in page, a
// proxy) says nothing of whether the alias moved: unknown, not succeeded.
func TestRegistryWriteAnsweredWithHTMLIsUnknown(t *testing.T) {
	reg := newRegistry(t)
	reg.onWrite = func(w http.ResponseWriter, c captured) bool {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><head><title>Sign in</title></head></html>"))
		return true
	}
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}}, reg.client)
	res := f.ex.Execute(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Confirm: "payments-fraud", Actor: f.actor})
	if res.Outcome != Unknown {
		t.Fatalf("outcome %s: %s", res.Outcome, res.Message)
	}
	mustContain(t, "message", res.Message, `HTML page ("Sign in")`, "may or may not have acted", "check the registry")
}

// A redirected write is not followed (it would become a GET of the
// redirect's target): the redirect is the answer, and nothing else is asked.
func TestRegistryWriteRedirectIsNotFollowed(t *testing.T) {
	reg := newRegistry(t)
	reg.onWrite = func(w http.ResponseWriter, c captured) bool {
		if c.Method == http.MethodPost {
			w.Header().Set("Location", "/login")
			w.WriteHeader(http.StatusFound)
			return true
		}
		return false
	}
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}}, reg.client)
	res := f.ex.Execute(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Confirm: "payments-fraud", Actor: f.actor})
	if res.Outcome != Failed || res.Status != http.StatusFound {
		t.Fatalf("outcome %s (HTTP %d): %s", res.Outcome, res.Status, res.Message)
	}
	for _, c := range reg.rc.requests() {
		if c.Path == "/login" {
			t.Error("the redirect was followed")
		}
	}
}
