package conformance

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/testenv"
)

// pollUntil refreshes (as the dashboard does) until ok accepts a snapshot
// or the limit passes.
func pollUntil(t *testing.T, p *poll.Poller, limit time.Duration, what string, ok func(fleet.Snapshot) bool) fleet.Snapshot {
	t.Helper()
	deadline := time.Now().Add(limit)
	var s fleet.Snapshot
	for time.Now().Before(deadline) {
		s = p.PollOnce(context.Background())
		if ok(s) {
			return s
		}
		time.Sleep(250 * time.Millisecond) // polling an external server
	}
	t.Fatalf("%s: not within %s; last source %+v", what, limit, s.Sources[0])
	return s
}

// TestThanosPartialResponse: the sidecar (the only store) dies mid-run; the
// query, which keeps a strict store, answers with a partial-response
// warning. mltop's source stays up, degraded, and names the store in plain
// words; when the sidecar returns, the warning clears.
func TestThanosPartialResponse(t *testing.T) {
	t.Parallel()
	exp := testenv.StartLinearExporter(t, fleetSeries, fleetRollouts)
	th := testenv.StartThanos(t, []string{exp.URL}, scrapeInterval)
	e := &engine{name: "thanos", ref: th.Querier}
	p := poll.New(poll.Options{Metrics: e.source(t, nil), Queries: defaultQueries(t), Deadline: 20 * time.Second})

	healthy := func(s fleet.Snapshot) bool {
		return s.Sources[0].OK && len(s.Sources[0].Warnings) == 0 && len(s.Models) == 3
	}
	pollUntil(t, p, 60*time.Second, "data through thanos", healthy)

	th.StopSidecar()
	want := fmt.Sprintf(`store %s {prometheus="mltop-test"}: connection refused`, th.StoreAddr)
	// Just after the kill, gRPC may still say "transport is closing", and a
	// store that fails while streaming is reported without its labels
	// ("store ADDR: ..."); every warning must name the store all the same.
	down := pollUntil(t, p, 30*time.Second, "the partial-response warning", func(s fleet.Snapshot) bool {
		for _, w := range s.Sources[0].Warnings {
			if !strings.HasPrefix(w, "store "+th.StoreAddr+" ") && !strings.HasPrefix(w, "store "+th.StoreAddr+": ") {
				t.Errorf("a warning that does not name the store: %q", w)
			}
		}
		return len(s.Sources[0].Warnings) == 1 && s.Sources[0].Warnings[0] == want
	})
	src := down.Sources[0]
	if !src.OK || len(src.Warnings) != 1 || src.Warnings[0] != want || src.Backend != "thanos" {
		t.Fatalf("while the store is down: %+v\nwant OK, backend thanos and the one warning %q", src, want)
	}
	t.Logf("while the sidecar is down: %q", src.Warnings[0])

	th.StartSidecar()
	pollUntil(t, p, 60*time.Second, "the warning to clear", healthy)
}
