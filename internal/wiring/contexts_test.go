package wiring

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// Each context keeps its own registry history beside the shared audit log,
// unless it names one.
func TestRegistryHistoryPathPerContext(t *testing.T) {
	c, err := config.ParseEnv("config.yaml", []byte(`audit: {path: /s/audit.jsonl}
contexts:
  eu: {}
  us: {}
  lab:
    audit: {registry_history: /t/lab.jsonl}
`), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"eu": "/s/registry-history.eu.jsonl", "us": "/s/registry-history.us.jsonl", "lab": "/t/lab.jsonl"}
	for name, path := range want {
		cc, err := c.ForContext(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := RegistryHistoryPath(cc); got != path {
			t.Errorf("%s: %q, want %q", name, got, path)
		}
	}
	if got := RegistryHistoryPath(c); got != "/s/registry-history.jsonl" {
		t.Errorf("the top level: %q", got)
	}
}

// An app built for one context acts in it, and its graphs' action marks
// come from that context's audit records only.
func TestAppOfAContextReadsItsOwnActions(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "audit.jsonl")
	c, err := config.ParseEnv("config.yaml", []byte("audit: {path: "+logPath+"}\nscrape: {targets: [\"http://127.0.0.1:9/metrics\"]}\ncontexts:\n  eu: {}\n  us: {}\n"), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	log := audit.New(logPath)
	for _, r := range []audit.Record{
		{Time: now.Add(-time.Hour), ID: "1", State: audit.Succeeded, Action: "retrain", Model: "churn", Context: "eu"},
		{Time: now.Add(-time.Hour), ID: "2", State: audit.Succeeded, Action: "rollback", Model: "churn", Context: "us"},
	} {
		if err := log.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	eu, err := c.ForContext("eu")
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(eu, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if got := a.Actions.Context(); got != "eu" {
		t.Errorf("executor context %q, want eu", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	evs, _ := a.Events.Events(ctx, "churn", now.Add(-2*time.Hour), now)
	var actions []string
	for _, e := range evs {
		if e.Kind == fleet.EventAction {
			actions = append(actions, e.Text)
		}
	}
	if len(actions) != 1 || !strings.HasPrefix(actions[0], "retrain") {
		t.Errorf("action events %q, want eu's retrain only", actions)
	}
}
