package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/root"
)

// mltop serve: another context gets the session's actions through its own
// executor, and --read-only holds there as in the server's context.
func TestServeContextActionsAndReadOnly(t *testing.T) {
	for _, readOnly := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		s := &serveContexts{ctx: ctx, log: slog.New(slog.DiscardHandler), cfg: &config.Config{Contexts: twoConfigContexts()},
			first: "prod", every: everyContext{readOnly: readOnly}}
		var given *actions.Executor
		acts := func(ex *actions.Executor) common.Actions { given = ex; return ex }
		octx, ocancel := context.WithTimeout(ctx, 30*time.Second)
		o, err := s.options(octx, ctx, root.Options{User: "ana", Role: config.RoleOperator}, s.cfg.Contexts[1], acts)
		ocancel()
		if err != nil {
			t.Fatal(err)
		}
		if given == nil || o.Actions == nil {
			t.Fatalf("--read-only %v: staging's dashboard has no actions", readOnly)
		}
		if given.Context() != "staging" {
			t.Errorf("--read-only %v: staging acts through the executor of %q", readOnly, given.Context())
		}
		if o.ReadOnly != readOnly || given.ReadOnly() != readOnly {
			t.Errorf("--read-only %v: staging's dashboard read-only %v, executor %v", readOnly, o.ReadOnly, given.ReadOnly())
		}
		cancel()
		s.close()
	}
}
