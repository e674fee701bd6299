package fleetscreen

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func TestStaleColumnIsDimmedWithAge(t *testing.T) {
	m := newScreen(t, "dark", 200, 50)
	s := uitest.Snapshot()
	s.TakenAt = at(5 * time.Second)
	s.Queries = []fleet.QueryStatus{
		{Name: "request_rate", Role: fleet.RoleRequestRate, Source: "embedded", OK: false, Error: "timeout", LastSuccess: uitest.Now.Add(-2 * time.Minute)},
		{Name: "error_ratio", Role: fleet.RoleErrorRatio, Source: "embedded", OK: true, LastSuccess: s.TakenAt},
	}
	m.Update(common.SnapshotMsg{Snapshot: s})
	if h := plainLines(m)[0]; !strings.Contains(h, "REQ/S ⏲2m") {
		t.Errorf("header lacks the stale age: %q", h)
	}
	if h := plainLines(m)[0]; strings.Contains(h, "ERR ⏲") {
		t.Errorf("healthy column marked stale: %q", h)
	}
	p := newPaints(m.c.Theme)
	stale := p.pre[toneStale][0]
	view := m.View()
	if !strings.Contains(view, stale+"  25") && !strings.Contains(view, stale+"25") {
		t.Errorf("req/s of image-tagger not drawn stale")
	}
	if strings.Contains(view, stale+"9.1%") {
		t.Errorf("error rate drawn stale")
	}
	if !strings.Contains(view, p.pre[toneBad][0]+"9.1%") {
		t.Errorf("error rate not drawn as bad")
	}

	// The whole metrics source down: every metric column is stale, the
	// registry-backed name column is not.
	s.Sources[0].OK, s.Sources[0].LastSuccess = false, uitest.Now.Add(-10*time.Minute)
	s.Queries = nil
	m.Update(common.SnapshotMsg{Snapshot: s})
	h := plainLines(m)[0]
	for _, col := range []string{"P95 ⏲10m", "ERR ⏲10m", "DRIFT ⏲10m"} {
		if !strings.Contains(h, col) {
			t.Errorf("header lacks %q: %q", col, h)
		}
	}
	if strings.Contains(h, "MODEL ⏲") {
		t.Errorf("model column stale: %q", h)
	}
	checkSize(t, m.View(), 200, 50)
	// Ages follow the clock.
	m.c.Now = m.c.Now.Add(time.Hour)
	m.Update(common.TickMsg{Now: m.c.Now})
	if h := plainLines(m)[0]; !strings.Contains(h, "ERR ⏲1h10m") {
		t.Errorf("age did not advance: %q", h)
	}
}

func TestUntrustedNamesAreCleaned(t *testing.T) {
	s := uitest.Snapshot()
	s.Models[0].Name = "evil\x1b]0;pwned\x07-model\x1b[31m"
	s.Models[0].Versions[0].Version = "8\x1b[2J"
	s.Models[0].Versions[0].Drift.Feature = "amount\x1b[5m"
	s.Models[0].Description = "desc\x9b31m"
	c := uitest.Common("dark")
	c.Snapshot = &s
	m := New(c)
	m.SetSize(200, 50)
	v := m.View()
	checkSize(t, v, 200, 50)
	for _, bad := range []string{"pwned", "\x1b]", "\x1b[2J", "\x1b[31m", "\x1b[5m", "\x07", "\x9b"} {
		if strings.Contains(v, bad) {
			t.Errorf("view contains %q", bad)
		}
	}
	if !strings.Contains(ansi.Strip(v), "evil-model") {
		t.Errorf("cleaned name not drawn:\n%s", ansi.Strip(v))
	}
}

func TestMeanLatencyIsLabelled(t *testing.T) {
	for _, w := range []int{80, 120, 200} {
		m := newScreen(t, "dark", w, 30)
		m.setSort(col("P95"), false) // keep the column at every width
		l := lineOf(m, "image-tagger")
		if !strings.Contains(l, "(mean)") {
			t.Errorf("%d columns: image-tagger line lacks (mean): %q", w, l)
		}
		if p := lineOf(m, "payments-fraud"); strings.Contains(p, "(mean)") || !strings.Contains(p, "912ms") {
			t.Errorf("%d columns: payments-fraud p95: %q", w, p)
		}
	}
	m := newScreen(t, "dark", 200, 30)
	if l := lineOf(m, "image-tagger"); !strings.Contains(l, "117ms (mean)") {
		t.Errorf("200 columns: value and label: %q", l)
	}
}

func TestCellsOfTheFixture(t *testing.T) {
	m := newScreen(t, "dark", 250, 30)
	cases := []struct{ model, want string }{
		{"churn-predictor", "psi .27 tenure"},           // drifted: method, score, feature
		{"credit-risk", "2d1h · 5% ⚠"},                  // labels older than 48h
		{"credit-risk", "॥ Paused 2/4 ▕█░░░▏25%"},       // rollout with canary bar
		{"credit-risk", "v11 stable  75"},               // version, track, weight
		{"payments-fraud", "auc .81 ▼.07"},              // quality drop
		{"demand-forecast", "rmse 12.8 ▼3.2%"},          // error metric: relative
		{"search-ranker", "64%    Healthy  "},           // shadow candidate: no bar, no health icon
		{"payments-fraud", "error rate 5.2% ≥ 5.0% +1"}, // the reason, in words
	}
	for _, c := range cases {
		if l := lineOf(m, c.model); !strings.Contains(l, c.want) {
			t.Errorf("%s: line lacks %q: %q", c.model, c.want, l)
		}
	}
	if l := lineOf(m, "v22 shadow"); !strings.Contains(l, "ndcg .73 ▼.01") {
		t.Errorf("shadow version line: %q", l)
	}
	// Unknowns are dashes, never zeros.
	img := lineOf(m, "image-tagger")
	if strings.Count(img, "—") < 4 {
		t.Errorf("image-tagger unknowns: %q", img)
	}
}

func TestModelThatDoesNotServe(t *testing.T) {
	s := uitest.Snapshot()
	s.Models = append(s.Models, fleet.Model{Name: "fraud-v2-candidate", Description: "next fraud model", InRegistry: true,
		Aliases:  map[string]string{"champion": "4"},
		Versions: []fleet.Version{{Version: "3", InRegistry: true}, {Version: "4", InRegistry: true}}})
	c := uitest.Common("dark")
	c.Snapshot = &s
	m := New(c)
	m.SetSize(120, 40)
	l := lineOf(m, "fraud-v2-candidate")
	for _, want := range []string{"v4", "not serving · next fraud model"} {
		if !strings.Contains(l, want) {
			t.Errorf("registry line lacks %q: %q", want, l)
		}
	}
	if strings.Count(strings.Join(plainLines(m), "\n"), "fraud-v2-candidate") != 1 {
		t.Error("a model that does not serve should take one line")
	}
}

// A rollout seen only through its controller's metrics (no versions) keeps
// its phase and analysis on the row: the "not serving" span says them.
func TestRolloutWithoutVersions(t *testing.T) {
	s := uitest.Snapshot()
	s.Models = append(s.Models, fleet.Model{Name: "judged", Rollout: &fleet.Rollout{Phase: "Aborted", Analysis: []fleet.AnalysisRun{
		{Name: "judged-7c8-2-1", Phase: fleet.AnalysisFailed, Metrics: []fleet.AnalysisMetric{
			{Name: "error-rate", Phase: fleet.AnalysisFailed}, {Name: "latency", Phase: fleet.AnalysisSuccessful}}}}}},
		fleet.Model{Name: "live", Rollout: &fleet.Rollout{Phase: "Paused"}})
	c := uitest.Common("dark")
	c.Snapshot = &s
	m := New(c)
	m.SetSize(200, 40)
	for model, want := range map[string]string{"judged": "not serving · rollout Aborted analysis ✔1 ✖1", "live": "not serving · rollout ॥ Paused"} {
		if l := lineOf(m, model); !strings.Contains(l, want) {
			t.Errorf("%s's line lacks %q: %q", model, want, l)
		}
	}
}

type countingHistory struct{ calls int }

func (h *countingHistory) History(rng time.Duration, width int) (history.Window, error) {
	h.calls++
	return uitest.History(rng, width), nil
}

func TestTrendsFetchAndThrottle(t *testing.T) {
	hp := &countingHistory{}
	c := uitest.Common("dark")
	c.History = hp
	m := New(c)
	m.SetSize(120, 40)
	sparks := func() bool { return strings.ContainsAny(lineOf(m, "payments-fraud"), "▁▂▃▄▅▆▇█") }
	if sparks() {
		t.Fatal("trend drawn before any history: never invent one")
	}
	cmd := m.Init()
	if cmd == nil {
		t.Fatal("Init asks for no history")
	}
	msg, ok := cmd().(common.HistoryMsg)
	if !ok || msg.Model != "" {
		t.Fatalf("fetch answered %#v", msg)
	}
	m.Update(msg)
	if !sparks() {
		t.Errorf("no trend with history:\n%s", lineOf(m, "payments-fraud"))
	}
	// A detail screen's history is not the fleet's.
	m.Update(common.HistoryMsg{Model: "credit-risk", Window: history.Window{}})
	if !sparks() {
		t.Error("another screen's history replaced the trends")
	}

	s := uitest.Snapshot()
	s.TakenAt = at(10 * time.Second)
	c.Now = s.TakenAt
	if _, cmd := m.Update(common.SnapshotMsg{Snapshot: s}); cmd != nil {
		t.Error("fetched again within 30 s")
	}
	c.Now = c.Now.Add(31 * time.Second)
	s.TakenAt = c.Now
	if _, cmd := m.Update(common.SnapshotMsg{Snapshot: s}); cmd == nil {
		t.Error("no fetch after 30 s")
	}
	if hp.calls != 1 {
		t.Errorf("provider called %d times; commands run only when the root runs them", hp.calls)
	}
	// A failed fetch keeps the held trend, drawn stale.
	m.Update(common.HistoryMsg{Err: errTest, Window: history.Window{}})
	if !sparks() || !m.histStale {
		t.Error("failed fetch dropped the trend or did not mark it stale")
	}
}

var errTest = &testError{}

type testError struct{}

func (*testError) Error() string { return "range query failed" }

// The rollout cell never borrows a health icon: a finished rollout beside
// a failing model must not read as a check mark. Without colour the phase
// still reads, as a word or the rollout's own glyph.
func TestRolloutCellIsNotHealth(t *testing.T) {
	step, steps := 2, 4
	for _, g := range []themes.Glyphs{themes.Unicode, themes.ASCII} {
		health := []string{g.OK, g.Warn, g.Bad}
		for _, phase := range []string{"Healthy", "Progressing", "Paused", "Degraded", "Aborted"} {
			m := &fleet.Model{Rollout: &fleet.Rollout{Phase: phase, Candidate: "2", Step: &step, Steps: &steps, SetWeight: ptr(25)},
				Versions: []fleet.Version{{Version: "1", Serving: true, Track: fleet.TrackStable}, {Version: "2", Serving: true, Track: fleet.TrackCanary}}}
			for _, w := range []int{9, 15, 30} {
				c := rolloutCell(m, w, g)
				text := cellText(c)
				for _, h := range health {
					if strings.Contains(text, h) {
						t.Errorf("%s at %d: %q shows the health icon %q", phase, w, text, h)
					}
				}
				icon, _ := phaseIcon(phase, g)
				if !strings.Contains(text, phase) && (icon == "" || !strings.HasPrefix(text, icon)) {
					t.Errorf("%s at %d: %q says neither the phase nor its glyph", phase, w, text)
				}
				if w == 30 && !strings.Contains(text, phase+" 2/4") {
					t.Errorf("%s at 30: %q lacks the phase and step", phase, text)
				}
			}
		}
	}
}

func cellText(c cell) string {
	var s string
	for i := 0; i < c.n; i++ {
		s += c.segs[i].s
	}
	return s
}

func ptr(f float64) *float64 { return &f }

// Every column ages with the queries its descriptor names, and only those.
func TestColumnsAgeWithTheirRoles(t *testing.T) {
	m := newScreen(t, "dark", 250, 30)
	for id := range fleetColumns {
		for _, r := range fleetColumns[id].roles {
			s := uitest.Snapshot()
			s.TakenAt = at(5 * time.Second)
			s.Queries = []fleet.QueryStatus{{Name: string(r), Role: r, Source: "embedded", Error: "timeout", LastSuccess: uitest.Now.Add(-2 * time.Minute)}}
			m.Update(common.SnapshotMsg{Snapshot: s})
			h := plainLines(m)[0]
			if title := fleetColumns[id].title; !strings.Contains(h, title+" ⏲2m") {
				t.Errorf("%s failing: header lacks %q: %q", r, title+" ⏲2m", h)
			}
			for other := range fleetColumns {
				if m.stale[other].Stale && !slices.Contains(fleetColumns[other].roles, r) {
					t.Errorf("%s failing: %v marked stale", r, colID(other))
				}
			}
		}
	}
}

// The DRIFT cell puts broken inputs ahead of drift: a silent feature
// first (critical), then a feature's first problem, then a schema change;
// without any, the drift as before.
func TestDriftCellSaysDataQualityFirst(t *testing.T) {
	yes := true
	v := fleet.Version{Drift: &fleet.Drift{Worst: &fleet.FeatureDrift{Feature: "tenure", Method: "psi", Score: 0.27, Drifted: &yes}}}
	for _, tc := range []struct {
		name string
		dq   *fleet.DataQuality
		want string
		crit bool
	}{
		{"none", nil, "psi .27 tenure", false},
		{"schema", &fleet.DataQuality{Schema: []fleet.SchemaChange{{Feature: "coupon", Change: fleet.SchemaAdded}}}, "added coupon", false},
		{"missing", &fleet.DataQuality{Features: []fleet.FeatureQuality{{Feature: "age"}, {Feature: "tenure", Problems: []string{"7 % missing"}}},
			Schema: []fleet.SchemaChange{{Feature: "coupon", Change: fleet.SchemaAdded}}}, "7 % missing tenure", false},
		{"silent", &fleet.DataQuality{Features: []fleet.FeatureQuality{{Feature: "age", Problems: []string{"5 % out of range"}}, {Feature: "region", Silent: true}}}, "silent region", true},
	} {
		v.DataQuality = tc.dq
		d := driftOf(&v)
		c := driftCell(d)
		var text string
		for _, s := range c.segs {
			text += s.s
		}
		if text != tc.want || d.dqCritical != tc.crit {
			t.Errorf("%s: cell %q critical %v, want %q critical %v", tc.name, text, d.dqCritical, tc.want, tc.crit)
		}
	}
}
