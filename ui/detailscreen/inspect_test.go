package detailscreen

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// fakeInspector is an executor whose rollout actions read a Kubernetes
// API: it answers InspectRollout with ins (or err) and counts the reads.
type fakeInspector struct {
	mu    sync.Mutex
	ins   actions.RolloutInspection
	err   error
	asked []string
	tags  map[string]string
}

func (f *fakeInspector) Plan(context.Context, actions.Request) (actions.Plan, error) {
	return actions.Plan{}, errors.New("not planned here")
}
func (f *fakeInspector) Execute(context.Context, actions.Request) actions.Result {
	return actions.Result{}
}
func (f *fakeInspector) Specs() []actions.Spec                                  { return nil }
func (f *fakeInspector) ReadOnly() bool                                         { return false }
func (f *fakeInspector) AuditRecords(audit.Filter) ([]audit.Record, int, error) { return nil, 0, nil }
func (f *fakeInspector) InspectsRollouts() bool                                 { return true }
func (f *fakeInspector) InspectRollout(_ context.Context, model string, tags map[string]string) (actions.RolloutInspection, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked, f.tags = append(f.asked, model), tags
	return f.ins, f.err
}

// stepRun is credit-risk's failed step analysis as the API lists it.
func stepRun() actions.RolloutInspection {
	return actions.RolloutInspection{
		Rollout: "default/credit-risk", Host: "10.0.0.1:6443", Found: true, Phase: "Paused", Step: "2/4",
		Paused:  "CanaryPauseStep since 05:50 UTC until 06:00 UTC",
		Message: "CanaryPauseStep",
		Analysis: []actions.AnalysisRunDetail{{
			Name: "credit-risk-6d4b8c9f7-3-1", Type: "Step", Phase: "Failed",
			Message: `Metric "error-rate" assessed Failed due to failed (3) > failureLimit (2)`,
			Metrics: []actions.AnalysisMetricDetail{
				{Name: "error-rate", Phase: "Failed", Measured: "0.031", Count: 3, Failed: 3},
				{Name: "latency-p95", Phase: "Successful", Measured: "0.112", Count: 3, Successful: 3},
				{Name: "success-count", Phase: "Successful", Measured: "[412]", Count: 1, Successful: 1,
					Message: "the query returned one value"},
			},
		}},
		ReadAt: uitest.Now,
	}
}

// openInspected is credit-risk's detail screen under analysis, with the
// inspector's first answer taken.
func openInspected(t *testing.T, w, h int, fi *fakeInspector) *Model {
	t.Helper()
	m, c, _ := open(t, "dark", "credit-risk", w, h)
	s := uitest.AnalysisSnapshot()
	c.Snapshot = &s
	c.Actions = fi
	withHistory(m, c, 180)
	for _, msg := range uitest.Run(m.Init()) {
		if _, ok := msg.(common.RolloutInspectionMsg); ok {
			m.Update(msg)
		}
	}
	return m
}

// With the API, the Rollout section says why the canary is paused and
// until when, and what each metric of the step's run measured; the
// background run the API did not list stays as the metrics show it.
func TestGoldenInspectedRollout(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("credit-risk-inspected-dark-%dx%d", sz[0], sz[1])
		func() {
			fi := &fakeInspector{ins: stepRun()}
			m := openInspected(t, sz[0], sz[1], fi)
			if len(fi.asked) != 1 || fi.asked[0] != "credit-risk" {
				t.Fatalf("opening the screen read %v; want credit-risk once", fi.asked)
			}
			view := m.View()
			uitest.CheckSize(t, view, sz[0], sz[1])
			uitest.Golden(t, name, view)
			body := ansi.Strip(strings.Join(m.page.Body, "\n"))
			for _, want := range []string{
				"॥ paused: CanaryPauseStep since 05:50 UTC until 06:00 UTC",
				"error-rate ✖ Failed measured 0.031 (3 of 3 failed)",
				"latency-p95 ✔ Successful measured 0.112 (0 of 3 failed)",
				`says: Metric "error-rate" assessed Failed`,
				"success-count: the query returned one value",
				"analysis credit-risk-6d4b8c9f7-3 ◌ Running · verdict ◌ Running",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("the Rollout section lacks %q:\n%s", want, body)
				}
			}
			if n := strings.Count(body, "credit-risk-6d4b8c9f7-3-1"); n != 1 {
				t.Errorf("the step run is listed %d times; want once (the API's, with its measurements)", n)
			}
		}()
	}
}

// A failed read keeps the last answer and says since when it is old; the
// screen asks at most once per refresh, and again at once after an action.
func TestInspectionPacingAndFailure(t *testing.T) {
	fi := &fakeInspector{ins: stepRun()}
	m := openInspected(t, 200, 50, fi)
	c := m.c
	snap := common.SnapshotMsg{Snapshot: *c.Snapshot}
	_, cmd := m.Update(snap)
	if got := inspections(cmd); got != 0 {
		t.Errorf("a snapshot within the refresh interval read the rollout %d times; want 0", got)
	}
	c.Now = c.Now.Add(c.Refresh)
	fi.err = errors.New("read rollout default/credit-risk: HTTP 403 Forbidden: the token may not get rollouts in default (RBAC)")
	_, cmd = m.Update(snap)
	msgs := uitest.Run(cmd)
	n := 0
	for _, msg := range msgs {
		if _, ok := msg.(common.RolloutInspectionMsg); ok {
			n++
			m.Update(msg)
		}
	}
	if n != 1 {
		t.Fatalf("a snapshot one refresh later read the rollout %d times; want 1", n)
	}
	body := ansi.Strip(strings.Join(m.page.Body, "\n"))
	for _, want := range []string{"could not read the rollout from the Kubernetes API: read rollout default/credit-risk: HTTP 403",
		"(showing what it said at", "measured 0.031"} {
		if !strings.Contains(body, want) {
			t.Errorf("after a failed read the page lacks %q:\n%s", want, body)
		}
	}
	_, cmd = m.Update(common.ActionDoneMsg{Result: actions.Result{Model: "credit-risk"}})
	if got := inspections(cmd); got != 1 {
		t.Errorf("an action's end read the rollout %d times; want 1", got)
	}
}

func inspections(cmd tea.Cmd) int {
	n := 0
	for _, msg := range uitest.Run(cmd) {
		if _, ok := msg.(common.RolloutInspectionMsg); ok {
			n++
		}
	}
	return n
}

// Nothing the API says reaches the terminal as a control sequence, and a
// Rollout the API does not have is said, since the keys would fail.
func TestInspectionHostileAndMissing(t *testing.T) {
	ins := stepRun()
	ins.Message = "ok\x1b]52;c;cGF3bmVk\x07\x1b[2J"
	ins.Analysis[0].Metrics[0].Measured = "\x1b[31m0.031\x1b[0m" + strings.Repeat("9", 200)
	ins.Analysis[0].Message = "bad\x9b2J"
	m := openInspected(t, 200, 50, &fakeInspector{ins: ins})
	if r, bad := uitest.TerminalActs(m.View()); bad {
		t.Errorf("the page lets the terminal act on %q", r)
	}
	m = openInspected(t, 120, 40, &fakeInspector{ins: actions.RolloutInspection{NotFound: "rollout default/credit-risk not found on 10.0.0.1:6443", ReadAt: time.Now()}})
	body := ansi.Strip(strings.Join(m.page.Body, "\n"))
	if want := "rollout default/credit-risk not found on 10.0.0.1:6443: the rollout keys will find nothing to act on"; !strings.Contains(body, want) {
		t.Errorf("the page lacks %q:\n%s", want, body)
	}
}

// Looking back, the API's view of the rollout (today's) is neither read
// nor shown: the metrics' rollout as it was stays.
func TestInspectionNotShownWhileLookingBack(t *testing.T) {
	fi := &fakeInspector{ins: stepRun()}
	m := openInspected(t, 200, 50, fi)
	c := m.c
	past := *c.Snapshot
	past.LookBack = &fleet.LookBack{MadeAt: uitest.Now}
	c.Snapshot = &past
	c.Now = c.Now.Add(c.Refresh)
	_, cmd := m.Update(common.SnapshotMsg{Snapshot: past})
	if got := inspections(cmd); got != 0 {
		t.Errorf("a snapshot of the past read the rollout %d times; want 0", got)
	}
	body := ansi.Strip(strings.Join(m.page.Body, "\n"))
	if strings.Contains(body, "paused: CanaryPauseStep since") || !strings.Contains(body, "today's: not shown while looking back") {
		t.Errorf("looking back, the Rollout section shows today's inspection:\n%s", body)
	}
	if !strings.Contains(body, "analysis credit-risk-6d4b8c9f7-3") {
		t.Errorf("looking back, the metrics' analysis runs are gone:\n%s", body)
	}
}
