package conformance

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/report"
	"github.com/mltop/mltop/internal/testenv"
)

// TestMimirWrongTenant: without the tenant header, or with one Mimir
// refuses, the source fails with the plain-words explanation and the check
// verdict is "failed" (mltop check exits 2); with a valid tenant it works.
func TestMimirWrongTenant(t *testing.T) {
	t.Parallel()
	m := testenv.StartMimir(t, nil, 0, tenant)
	e := &engine{name: "mimir", ref: m.Querier}
	for name, headers := range map[string]map[string]string{
		"missing":   nil,
		"malformed": tenantHeader("team/ml"),
	} {
		p := poll.New(poll.Options{Metrics: e.source(t, headers), Queries: defaultQueries(t), Deadline: 20 * time.Second})
		s := p.PollOnce(context.Background())
		src := s.Sources[0]
		if src.OK || !strings.Contains(src.Error, "authentication failed (401): missing or wrong X-Scope-OrgID") {
			t.Errorf("%s tenant: source %+v", name, src)
		}
		if r := report.Evaluate(s); r.Code != report.CheckFailed {
			t.Errorf("%s tenant: check verdict %d (%s), want %d", name, r.Code, r.Status, report.CheckFailed)
		}
		t.Logf("%s tenant: %s", name, src.Error)
	}
	p := poll.New(poll.Options{Metrics: e.source(t, tenantHeader(tenant)), Queries: defaultQueries(t), Deadline: 20 * time.Second})
	s := p.PollOnce(context.Background())
	if src := s.Sources[0]; !src.OK || src.Backend != "mimir" {
		t.Errorf("right tenant: source %+v", src)
	}
	// The tenant holds no series here, so check cannot tell (no models);
	// what matters is that nothing failed.
	if r := report.Evaluate(s); len(r.Failures) > 0 {
		t.Errorf("right tenant: check failed: %+v", r.Failures)
	}
}
