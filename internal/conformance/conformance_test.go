package conformance

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/sources/prometheus"
)

// defaultQueries renders the default profile with the suite's window.
func defaultQueries(t testing.TB) []poll.Query {
	t.Helper()
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Window = window
	qs, err := cfg.Queries()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]poll.Query, 0, len(qs))
	for _, q := range qs {
		out = append(out, poll.Query{Name: q.Name, Role: fleet.Role(q.Role), Expr: q.Expr})
	}
	return out
}

// valueRoles must each have been compared at steady state.
var valueRoles = []fleet.Role{
	fleet.RoleRequestRate, fleet.RoleErrorRatio, fleet.RoleLatencyP50, fleet.RoleLatencyP95, fleet.RoleLatencyP99,
	fleet.RoleLatencyMean, fleet.RolePerformance, fleet.RoleTrafficWeight, fleet.RoleRolloutInfo, fleet.RoleRolloutStep,
	fleet.RoleRolloutSteps, fleet.RoleRolloutSetWt, fleet.RoleLabeledFraction, fleet.RoleLabelDelayP50,
	fleet.RoleLabelDelayP95, fleet.RoleLabelAge, fleet.RoleDriftScore,
}

// TestConformance runs the same checks against every engine: while the
// series are younger than the window every version is warming up; at steady
// state none is, every role of the default profile in mltop's snapshot
// equals the engine's own answer at the same instant, rates and ratios
// equal the exporter's truth, the backend is named, and a bad query reads
// "bad query: …".
func TestConformance(t *testing.T) {
	t.Parallel()
	// The lanes run side by side from goroutines rather than t.Parallel,
	// which -parallel (default: the number of cores) would queue two at a
	// time: each lane mostly waits for its engine's windows to fill.
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, l := range lanes {
		wg.Go(func() { t.Run(l.name, func(t *testing.T) { conform(t, l) }) })
	}
}

// conform is the whole suite against one engine.
func conform(t *testing.T, l lane) {
	began := time.Now()
	exp := testenv.StartLinearExporter(t, fleetSeries, fleetRollouts)
	e := l.start(t, []string{exp.URL}, scrapeInterval)
	started := time.Since(began)
	headers := e.headers
	src := e.source(t, headers)
	queries := defaultQueries(t)
	clk := &clock{}
	p := poll.New(poll.Options{Metrics: src, Queries: queries, Now: clk.now, Deadline: 30 * time.Second})
	ctx := context.Background()

	at := e.waitSeries(t, len(fleetSeries), 90*time.Second)
	clk.set(at)
	young := p.PollOnce(ctx)
	checkSourceOK(t, e.name, young)
	compareRole(t, e.name, young, fleet.RoleWarmingUp, e.ref.Query(queryOf(t, queries, fleet.RoleWarmingUp), at), newTally())
	checkWarming(t, e.name, young, true)
	logYoungRates(t, e.name, young)

	e.waitSteady(t, len(fleetSeries))
	at = e.instant()
	// Two refreshes before the one compared: the source shares reads
	// between the queries of a refresh from the third on, and the values
	// compared must be those read so.
	for _, back := range []time.Duration{4 * time.Second, 2 * time.Second} {
		clk.set(at.Add(-back))
		p.PollOnce(ctx)
	}
	clk.set(at)
	snap := p.PollOnce(ctx)
	checkSourceOK(t, e.name, snap)
	if b := snap.Sources[0].Backend; b != e.name {
		t.Errorf("backend = %q, want %q", b, e.name)
	}
	checkWarming(t, e.name, snap, false)
	tl := newTally()
	for i, q := range queries {
		ref := e.ref.Query(q.Expr, at)
		st := snap.Queries[i]
		if st.Name != q.Name || !st.OK || st.Series != len(ref) {
			t.Errorf("%s %s: query status %+v, engine returned %d series", e.name, q.Name, st, len(ref))
		}
		compareRole(t, e.name, snap, q.Role, ref, tl)
	}
	for _, role := range valueRoles {
		if tl.compared[role] == 0 {
			t.Errorf("%s: no %s value compared", e.name, role)
		}
	}
	checkTruth(t, e.name, snap)
	checkBadQuery(t, e.name, src, at)
	checkDetection(t, e.name, src)
	t.Logf("%s: up in %s, steady after %s; %d values compared, %d identical to the bit, worst relative difference %.1e; by role %v",
		e.name, started.Round(100*time.Millisecond), time.Since(began).Round(100*time.Millisecond), tl.total, tl.exact, tl.worst, tl.compared)
}

func queryOf(t *testing.T, qs []poll.Query, role fleet.Role) string {
	t.Helper()
	for _, q := range qs {
		if q.Role == role {
			return q.Expr
		}
	}
	t.Fatalf("the default profile has no %s query", role)
	return ""
}

func checkSourceOK(t *testing.T, engine string, s fleet.Snapshot) {
	t.Helper()
	src := s.Sources[0]
	if !src.OK || len(src.Warnings) > 0 {
		t.Fatalf("%s: source %+v", engine, src)
	}
	if len(s.Models) != 3 {
		t.Fatalf("%s: %d models, want 3", engine, len(s.Models))
	}
}

// checkWarming: every version is warming up, or none is.
func checkWarming(t *testing.T, engine string, s fleet.Snapshot, want bool) {
	t.Helper()
	n := 0
	for _, m := range s.Models {
		for _, v := range m.Versions {
			n++
			if v.WarmingUp != want {
				t.Errorf("%s: %s v%s warming up = %v, want %v", engine, m.Name, v.Version, v.WarmingUp, want)
			}
		}
	}
	if n != len(fleetSeries) {
		t.Errorf("%s: %d versions, want %d", engine, n, len(fleetSeries))
	}
}

// checkTruth: at steady state every engine agrees with the exporter, whose
// counters are exactly linear, on rates and ratios.
func checkTruth(t *testing.T, engine string, s fleet.Snapshot) {
	t.Helper()
	near := func(have *float64, want float64) bool {
		if have == nil {
			return false
		}
		return math.Abs(*have-want) <= 1e-3*math.Max(math.Abs(want), 1e-9)
	}
	for _, ls := range fleetSeries {
		m := findModel(s, ls.Model)
		if m == nil {
			t.Errorf("%s: %s missing", engine, ls.Model)
			continue
		}
		v := m.Version(ls.Version)
		if v == nil {
			t.Errorf("%s: %s v%s missing", engine, ls.Model, ls.Version)
			continue
		}
		if !near(v.RequestsPerSecond, ls.RPS) {
			t.Errorf("%s: %s v%s req/s %v, exporter %g", engine, ls.Model, ls.Version, deref(v.RequestsPerSecond), ls.RPS)
		}
		if !near(v.ErrorRate, ls.ErrorsPerSec/ls.RPS) {
			t.Errorf("%s: %s v%s error rate %v, exporter %g", engine, ls.Model, ls.Version, deref(v.ErrorRate), ls.ErrorsPerSec/ls.RPS)
		}
		if ls.LabeledShare > 0 && !near(v.GroundTruth.LabeledFraction, ls.LabeledShare) {
			t.Errorf("%s: %s v%s labelled %v, exporter %g", engine, ls.Model, ls.Version, deref(v.GroundTruth.LabeledFraction), ls.LabeledShare)
		}
		if !near(v.TrafficWeight, ls.Weight) || v.Track != ls.Track {
			t.Errorf("%s: %s v%s %s %v, exporter %s %g", engine, ls.Model, ls.Version, v.Track, deref(v.TrafficWeight), ls.Track, ls.Weight)
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return "unknown"
	}
	return *p
}

// checkBadQuery: whatever the engine's status code and wording (400
// bad_data, VictoriaMetrics' 422 with the query repeated), the user reads
// one line that starts "bad query: ".
func checkBadQuery(t *testing.T, engine string, src *prometheus.Source, at time.Time) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err := src.Query(ctx, "sum(rate(model_predictions_total[1m])", at)
	if err == nil {
		t.Fatalf("%s: a broken query succeeded", engine)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "bad query: ") || strings.Contains(msg, "\n") || strings.Contains(msg, "error when executing") {
		t.Errorf("%s: bad query explained as %q", engine, msg)
	}
	t.Logf("%s: %s", engine, msg)
}

// logYoungRates records what each engine reads for series younger than the
// window, where they legitimately differ (extrapolation or not).
func logYoungRates(t *testing.T, engine string, s fleet.Snapshot) {
	t.Helper()
	var b strings.Builder
	for _, ls := range fleetSeries {
		if m := findModel(s, ls.Model); m != nil {
			if v := m.Version(ls.Version); v != nil {
				fmt.Fprintf(&b, " %s/%s %v (true %g);", ls.Model, ls.Version, deref(v.RequestsPerSecond), ls.RPS)
			}
		}
	}
	t.Logf("%s: warming up, req/s:%s", engine, b.String())
}

// checkDetection: profile detection's question (metric names bounded with
// match[] and a time range) is answered alike by every engine, and picks
// the convention's profile alone for a fleet in mltop's convention.
func checkDetection(t *testing.T, engine string, src *prometheus.Source) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var matches []string
	for _, n := range config.DetectionMetrics() {
		matches = append(matches, fmt.Sprintf("{__name__=%q}", n))
	}
	now := time.Now()
	names, err := src.MetricNames(ctx, matches, now.Add(-time.Hour), now, 0)
	if err != nil {
		t.Errorf("%s: metric names: %v", engine, err)
		return
	}
	if len(names) != 1 || names[0] != "model_predictions_total" {
		t.Errorf("%s: metric names among the profiles' %v, want only model_predictions_total", engine, names)
	}
	if got := config.DetectProfiles(names); len(got) != 1 || got[0] != "mltop" {
		t.Errorf("%s: detected %v, want mltop", engine, got)
	}
}
