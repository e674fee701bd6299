package wiring

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/auditreport"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/events"
	"github.com/mltop/mltop/internal/registryhistory"
	"github.com/mltop/mltop/internal/servinghistory"
)

// TestPollerRecordsRegistryHistory: an alias moved in the (demo's MLflow-
// compatible) registry between two polls is in the history file beside
// the audit log, and a restarted app records it no second time.
func TestPollerRecordsRegistryHistory(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f, err := demo.Start(ctx, demo.Options{Seed: 1, Manual: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Audit.Path = filepath.Join(t.TempDir(), "audit.jsonl")
	cfg.MLflow.TrackingURI = f.RegistryURL()
	cfg.MLflow.Refresh = time.Nanosecond // every PollOnce reads the registry
	start := func() *App {
		a, err := New(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if a.RegistryHistory == nil {
			t.Fatal("no registry history with a registry configured")
		}
		return a
	}
	a := start()
	a.Poller.PollOnce(ctx)
	reg := a.Poller.Registry()
	if reg == nil || len(reg.Models) == 0 {
		t.Fatal("the registry read failed")
	}
	model, was := reg.Models[0].Name, reg.Models[0].Aliases["champion"]
	var other string
	for _, v := range reg.Models[0].Versions {
		if v.Version != was {
			other = v.Version
		}
	}
	if was == "" || other == "" {
		t.Fatalf("demo model %q has no champion and another version: %+v", model, reg.Models[0])
	}
	if err := a.MLflow.SetAlias(ctx, model, "champion", other); err != nil {
		t.Fatal(err)
	}
	a.Poller.PollOnce(ctx)
	a.Close()

	a = start() // a restart sees the same registry
	a.Poller.PollOnce(ctx)
	defer a.Close()
	h, err := registryhistory.Open(filepath.Join(filepath.Dir(cfg.Audit.Path), registryhistory.FileName))
	if err != nil {
		t.Fatal(err)
	}
	got, err := h.Changes("", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Model != model || got[0].Alias != "champion" || got[0].From != was || got[0].To != other {
		t.Fatalf("history %+v; want only %s champion %s→%s", got, model, was, other)
	}
}

// The providers fit the interfaces their readers declare, so that wiring
// one is one assignment.
var (
	_ events.RegistryHistory      = (*registryhistory.Log)(nil)
	_ auditreport.RegistryHistory = (*registryhistory.Log)(nil)
	_ auditreport.ServedHistory   = (*servinghistory.Provider)(nil)
)
