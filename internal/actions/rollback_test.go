package actions

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

func TestRollbackByAliasPlansThenSendsOneRequest(t *testing.T) {
	reg := newRegistry(t)
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}, RequireReason: true}, reg.client)
	// The audit record must be on disk before the registry sees the write.
	reg.onWrite = func(w http.ResponseWriter, c captured) bool {
		rs, _, _ := f.log.Read()
		if len(rs) == 0 || rs[len(rs)-1].State != audit.Requested {
			t.Errorf("registry received the write before the requested record was written: %+v", rs)
		}
		return false
	}
	req := Request{Action: Rollback, Model: "payments-fraud", Reason: "error rate 7%", Actor: f.actor}
	p, err := f.ex.Plan(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if p.From != "8" || p.To != "7" || p.DefaultTo != "7" || p.DefaultFrom != "registry history" {
		t.Errorf("plan from %q to %q default %q (%s), want 8 → 7 from registry history", p.From, p.To, p.DefaultTo, p.DefaultFrom)
	}
	if !slices.Equal(p.Changes, []string{"alias champion: 8 → 7"}) {
		t.Errorf("changes %q", p.Changes)
	}
	mustContain(t, "meaning", p.Meaning, "traffic returns to v7 at once", "the canary v9 is untouched")
	if !p.TypedName || !p.ReasonRequired || p.Refusal != "" || p.ID == "" {
		t.Errorf("plan typed %v reason %v refusal %q id %q", p.TypedName, p.ReasonRequired, p.Refusal, p.ID)
	}
	var vs []string
	for _, c := range p.Candidates {
		vs = append(vs, c.Version)
		if c.Default != (c.Version == "7") {
			t.Errorf("candidate %s default %v", c.Version, c.Default)
		}
	}
	if !slices.Equal(vs, []string{"9", "7", "6", "5"}) {
		t.Errorf("candidates %v, want 9 7 6 5 (the serving 8 left out)", vs)
	}
	if len(reg.writes()) != 0 {
		t.Fatal("Plan wrote to the registry")
	}

	req.ID, req.Confirm = p.ID, "payments-fraud"
	res := f.ex.Execute(ctx(t), req)
	if res.Outcome != Succeeded || !res.Recorded || res.ID != p.ID {
		t.Fatalf("result %+v", res)
	}
	c := reg.writes()
	if len(c) != 1 {
		t.Fatalf("%d writes, want 1", len(c))
	}
	if c[0].Method != "POST" || c[0].Path != "/api/2.0/mlflow/registered-models/alias" {
		t.Errorf("sent %s %s", c[0].Method, c[0].Path)
	}
	body := c[0].json(t)
	if body["name"] != "payments-fraud" || body["alias"] != "champion" || body["version"] != "7" {
		t.Errorf("body %v", body)
	}
	if got := f.states(t, p.ID); !slices.Equal(got, []audit.State{audit.Requested, audit.Succeeded}) {
		t.Errorf("recorded %v", got)
	}
	last := f.records(t)[1]
	if last.Before["version"] != "8" || last.After["version"] != "7" || last.After["alias"] != "champion" ||
		last.Actor.User != "ana" || last.Actor.Host != "test-host" || last.Adapter != "mlflow-alias" ||
		last.Target != reg.rc.URL+"/api/2.0/mlflow/registered-models/alias" || last.Reason != "error rate 7%" {
		t.Errorf("record %+v", last)
	}
}

func TestRollbackByStage(t *testing.T) {
	reg := newRegistry(t)
	reg.model.Aliases = nil // a registry that only uses stages
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowStage}}, reg.client)
	req := Request{Action: Rollback, Model: "payments-fraud", To: "6", Actor: f.actor, Confirm: "payments-fraud"}
	p, err := f.ex.Plan(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if p.From != "8" || p.To != "6" || !slices.Equal(p.Changes, []string{"stage Production: 8 → 6 (v8 archived)"}) {
		t.Errorf("plan %+v", p)
	}
	res := f.ex.Execute(ctx(t), req)
	if res.Outcome != Succeeded {
		t.Fatalf("result %+v", res)
	}
	c := reg.writes()
	if len(c) != 1 || c[0].Path != "/api/2.0/mlflow/model-versions/transition-stage" {
		t.Fatalf("writes %+v", c)
	}
	body := c[0].json(t)
	if body["name"] != "payments-fraud" || body["version"] != "6" || body["stage"] != "Production" || body["archive_existing_versions"] != true {
		t.Errorf("body %v", body)
	}
}

func TestRollbackDefaultSkipsVersionsNotReady(t *testing.T) {
	reg := newRegistry(t)
	reg.setVersionStatus("7", "FAILED_REGISTRATION")
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}}, reg.client)
	p, err := f.ex.Plan(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Actor: f.actor})
	if err != nil {
		t.Fatal(err)
	}
	if p.To != "6" || p.DefaultFrom != "registry history" {
		t.Errorf("default %q from %q, want 6 from registry history", p.To, p.DefaultFrom)
	}
	p, _ = f.ex.Plan(ctx(t), Request{Action: Rollback, Model: "payments-fraud", To: "7", Actor: f.actor})
	if p.Refusal == "" {
		t.Error("rollback to a version that failed registration is not refused")
	}
}

func TestRollbackDefaultFromAuditLog(t *testing.T) {
	reg := newRegistry(t)
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}}, reg.client)
	ver := func(v string) map[string]string { return map[string]string{"alias": "champion", "version": v} }
	for _, r := range []audit.Record{
		// v5 → v8 promoted by hand long ago (skipping 6 and 7)...
		{ID: "a", State: audit.Succeeded, Action: "promote", Model: "payments-fraud", Before: ver("5"), After: ver("8")},
		// ...a roll forward to 9 that was rolled back: neither counts as "before 8"
		{ID: "b", State: audit.Succeeded, Action: Rollback, Model: "payments-fraud", Before: ver("9"), After: ver("8")},
		{ID: "c", State: audit.Failed, Action: Rollback, Model: "payments-fraud", Before: ver("6"), After: ver("8")},
		{ID: "d", State: audit.Succeeded, Action: Rollback, Model: "other-model", Before: ver("6"), After: ver("8")},
	} {
		if err := f.log.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	p, err := f.ex.Plan(ctx(t), Request{Action: Rollback, Model: "payments-fraud", Actor: f.actor})
	if err != nil {
		t.Fatal(err)
	}
	if p.To != "5" || p.DefaultFrom != "audit log" || !slices.Equal(p.Changes, []string{"alias champion: 8 → 5"}) {
		t.Errorf("default %q from %q changes %q, want 5 from the audit log", p.To, p.DefaultFrom, p.Changes)
	}
}

func TestRollbackRefusesWhatCannotBeDone(t *testing.T) {
	reg := newRegistry(t)
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}}, reg.client)
	cases := []struct {
		name string
		req  Request
		want string
	}{
		{"already serving", Request{To: "8", Confirm: "payments-fraud"}, "v8 already serves payments-fraud"},
		{"unknown version", Request{To: "42", Confirm: "payments-fraud"}, "v42 is not a ready version"},
		{"name not typed", Request{To: "7", Confirm: "payments"}, `type the model name "payments-fraud" to confirm`},
	}
	for _, c := range cases {
		c.req.Action, c.req.Model, c.req.Actor = Rollback, "payments-fraud", f.actor
		res := f.ex.Execute(ctx(t), c.req)
		if res.Outcome != Refused {
			t.Errorf("%s: outcome %s", c.name, res.Outcome)
		}
		mustContain(t, c.name, res.Message, c.want)
		if got := f.states(t, res.ID); !slices.Equal(got, []audit.State{audit.Refused}) {
			t.Errorf("%s: recorded %v", c.name, got)
		}
	}
	if n := len(reg.writes()); n != 0 {
		t.Errorf("%d writes reached the registry", n)
	}
}

func TestRollbackWithoutRegistryCannotPlan(t *testing.T) {
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}}, nil)
	if _, err := f.ex.Plan(ctx(t), Request{Action: Rollback, Model: "m", Actor: f.actor}); err == nil {
		t.Error("planned a registry rollback without a registry")
	}
	res := f.ex.Execute(ctx(t), Request{Action: Rollback, Model: "m", To: "1", Actor: f.actor})
	if res.Outcome != Failed || !res.Recorded {
		t.Errorf("result %+v", res)
	}
	mustContain(t, "message", res.Message, "nothing was sent", "mlflow.tracking_uri")
}

func TestRollbackWebhook(t *testing.T) {
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, c captured) { w.WriteHeader(http.StatusAccepted) })
	token := writeFile(t, "token", "s3cr3t-token-value\n")
	f := newFixture(t, config.Actions{Rollback: config.Action{
		Kind: kindWebhook, URL: rc.URL + "/hooks/rollback", TokenFile: token,
		Headers: map[string]string{"X-Team": "ml"},
	}}, nil)
	m := driftingModel()
	m.Name = "search-ranker"
	m.Versions[0].Version = "22"
	m.Versions = append(m.Versions, m.Versions[0])
	m.Versions[1].Version, m.Versions[1].Track = "21", ""
	req := Request{Action: Rollback, Model: "search-ranker", Reason: "ndcg drop", Actor: f.actor, Snapshot: m}
	p, err := f.ex.Plan(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if p.From != "22" || p.To != "21" {
		t.Errorf("plan %s → %s, want 22 → 21", p.From, p.To)
	}
	mustContain(t, "meaning", p.Meaning, "asks 127.0.0.1", "to undo; a new revision may re-run analysis")
	req.ID = p.ID
	res := f.ex.Execute(ctx(t), req)
	if res.Outcome != Succeeded || res.Status != http.StatusAccepted {
		t.Fatalf("result %+v", res)
	}
	c := rc.only(t)
	if c.Method != "POST" || c.Path != "/hooks/rollback" {
		t.Errorf("sent %s %s", c.Method, c.Path)
	}
	for k, want := range map[string]string{
		"Idempotency-Key": p.ID, "Authorization": "Bearer s3cr3t-token-value", "X-Team": "ml", "Content-Type": "application/json",
	} {
		if got := c.Header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	body := c.json(t)
	actor, _ := body["actor"].(map[string]any)
	if body["action"] != "rollback" || body["model"] != "search-ranker" || body["from"] != "22" || body["to"] != "21" ||
		body["reason"] != "ndcg drop" || body["request_id"] != p.ID || actor["user"] != "ana" || actor["role"] != "operator" {
		t.Errorf("body %v", body)
	}
}

func TestRollbackRegistryAnswersDecideTheOutcome(t *testing.T) {
	reg := newRegistry(t)
	release := make(chan struct{})
	defer close(release)
	answer := func(w http.ResponseWriter, c captured) bool {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error_code":"INVALID_PARAMETER_VALUE","message":"alias is locked"}`))
		return true
	}
	reg.onWrite = answer
	acts := config.Actions{Rollback: config.Action{Kind: kindMLflowAlias, Timeout: 300 * time.Millisecond}}
	f := newFixture(t, acts, reg.client)
	req := Request{Action: Rollback, Model: "payments-fraud", Actor: f.actor, Confirm: "payments-fraud"}
	res := f.ex.Execute(ctx(t), req)
	if res.Outcome != Failed || res.Status != 400 {
		t.Fatalf("refused by the registry: %+v", res)
	}
	mustContain(t, "message", res.Message, "alias is locked")

	reg.onWrite = func(w http.ResponseWriter, c captured) bool { <-release; return true }
	res = f.ex.Execute(ctx(t), req)
	if res.Outcome != Unknown {
		t.Fatalf("slow registry: %+v", res)
	}
	if res.Check != "check the registry: alias champion of payments-fraud may or may not have moved to v7" {
		t.Errorf("check %q", res.Check)
	}
	if n := len(reg.writes()); n != 2 {
		t.Errorf("%d writes, want one per Execute", n)
	}
	if got := f.states(t, res.ID); !slices.Equal(got, []audit.State{audit.Requested, audit.Unknown}) {
		t.Errorf("recorded %v", got)
	}
}

func TestRollbackAsksForTheNameWhenTagsAreUnknown(t *testing.T) {
	rc := newReceiver(t, nil)
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindWebhook, URL: rc.URL}}, nil)
	p, err := f.ex.Plan(ctx(t), Request{Action: Rollback, Model: "m", To: "1", Actor: f.actor})
	if err != nil {
		t.Fatal(err)
	}
	if !p.TypedName {
		t.Error("without tags, a rollback does not ask for the typed name")
	}
	m := driftingModel() // risk_tier medium
	p, _ = f.ex.Plan(ctx(t), Request{Action: Rollback, Model: m.Name, To: "2", Actor: f.actor, Snapshot: m})
	if p.TypedName {
		t.Error("a medium-risk model asks for the typed name")
	}
}
