package actions

import (
	"testing"

	"github.com/mltop/mltop/internal/audit"
)

// TestAuditRecordsSelectsByFilter: the audit screen's read is the log's
// records the filter selects, oldest first.
func TestAuditRecordsSelectsByFilter(t *testing.T) {
	rc := newReceiver(t, nil)
	f := newFixture(t, webhookRetrain(rc.URL), nil)
	if res := f.ex.Execute(ctx(t), retrainReq(f)); res.Outcome != Succeeded {
		t.Fatalf("result %+v", res)
	}
	all := f.records(t)
	got, torn, err := f.ex.AuditRecords(audit.Filter{Model: "churn-predictor"})
	if err != nil || torn != 0 || len(got) != len(all) || len(got) < 2 {
		t.Fatalf("%d records (torn %d, err %v), want the log's %d", len(got), torn, err, len(all))
	}
	for i := range got {
		if got[i].ID != all[i].ID || got[i].State != all[i].State {
			t.Errorf("record %d: %s %s, want %s %s", i, got[i].ID, got[i].State, all[i].ID, all[i].State)
		}
	}
	if got, _, err := f.ex.AuditRecords(audit.Filter{Model: "credit-risk"}); err != nil || len(got) != 0 {
		t.Errorf("another model's filter: %d records, err %v", len(got), err)
	}
}
