package auditreport

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/sources/prometheus"
)

// spiked is OpenMetrics text of a gauge sampled every 5 minutes over
// [from, to) at normal, and at spike for the one minute from at (a sample
// at at, the next at at+1m).
func spiked(b *strings.Builder, name, labels string, from, to, at time.Time, normal, spike float64) {
	var times []time.Time
	for t := from; t.Before(to); t = t.Add(5 * time.Minute) {
		times = append(times, t)
	}
	times = append(times, at, at.Add(time.Minute))
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	for _, t := range slices.CompactFunc(times, func(a, b time.Time) bool { return a.Equal(b) }) {
		v := normal
		if t.Equal(at) {
			v = spike
		}
		fmt.Fprintf(b, "%s{%s} %g %d\n", name, labels, v, t.Unix())
	}
}

// Eight days are read at a 2-minute step. An error ratio breach, a PSI
// over its threshold, a KS p-value under its own and an AUC drop, each one
// minute long and each between two steps (at an odd minute: the steps are
// at even ones), are found by a real Prometheus, each as one episode with
// its true peak; read only at the steps, all four were missed and every
// section said ok.
func TestShortEpisodesBetweenStepsAreFound(t *testing.T) {
	now := time.Now().Truncate(time.Hour)
	from := now.Add(-8 * 24 * time.Hour)
	day := func(d int) time.Time { return from.Add(time.Duration(d)*24*time.Hour + 61*time.Minute) }
	mv := `model="churn",version="7"`
	var om strings.Builder
	om.WriteString("# TYPE test_error_ratio gauge\n")
	spiked(&om, "test_error_ratio", mv, from, now, day(2), 0.01, 0.2)
	om.WriteString("# TYPE test_drift gauge\n")
	spiked(&om, "test_drift", mv+`,feature="tenure",method="psi"`, from, now, day(3), 0.02, 0.4)
	spiked(&om, "test_drift", mv+`,feature="plan",method="ks"`, from, now, day(4), 0.6, 0.001)
	om.WriteString("# TYPE test_performance gauge\n")
	spiked(&om, "test_performance", mv+`,metric="auc"`, from, now, day(5), 0.88, 0.70)
	om.WriteString("# EOF\n")
	prom := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{Interval: time.Second, Backfill: om.String()})
	src, err := prometheus.New(prometheus.Options{URL: prom.URL, Backend: prometheus.BackendPrometheus})
	if err != nil {
		t.Fatal(err)
	}
	in := Inputs{
		Metrics: src,
		Queries: map[fleet.Role]string{
			fleet.RoleErrorRatio:  `max by (model, version) (test_error_ratio)`,
			fleet.RoleDriftScore:  `max by (model, version, feature, method) (test_drift)`,
			fleet.RolePerformance: `max by (model, version, metric) (test_performance)`,
		},
		Judge: judge.Config{Thresholds: fleet.Thresholds{ErrorRate: 0.05, QualityDrop: 0.05}},
		Current: &fleet.Registry{Models: []fleet.RegisteredModel{{Name: "churn", Versions: []fleet.RegisteredVersion{
			{Version: "7", Baseline: map[string]float64{"auc": 0.88}}}}}},
		MinStep: time.Minute,
	}
	r := Build(context.Background(), in, Options{From: from, To: now}, now)
	if r.StepSeconds != 120 {
		t.Fatalf("step %gs, want 120s for 8 days at a 1-minute scrape interval", r.StepSeconds)
	}
	for _, s := range r.Sections {
		if (s.Name == SectionBreaches || s.Name == SectionDrift || s.Name == SectionQuality) && s.Status != StatusOK {
			t.Errorf("section %s: %s %s", s.Name, s.Status, s.Detail)
		}
	}
	if len(r.Models) != 1 {
		t.Fatalf("models %+v", r.Models)
	}
	m := r.Models[0]
	// The step after the spike is the first whose interval holds it.
	within := func(what string, e Episode, at time.Time, peak float64) {
		t.Helper()
		if e.From.Before(at) || e.From.After(at.Add(2*time.Minute)) || !e.To.Equal(e.From) || e.Peak == nil || *e.Peak != peak {
			t.Errorf("%s: %+v (peak %v), want one step just after %s, peak %g", what, e, e.Peak, at.Format(time.DateTime), peak)
		}
	}
	if len(m.Breaches) != 1 {
		t.Errorf("breaches %+v, want the one-minute breach of day 2", m.Breaches)
	} else {
		within("breach", m.Breaches[0], day(2), 0.2)
	}
	if len(m.Drift) != 2 {
		t.Errorf("drift %+v, want tenure's PSI on day 3 and plan's KS on day 4", m.Drift)
	} else {
		for _, d := range m.Drift {
			if d.Method == "psi" {
				within("psi", d, day(3), 0.4)
			} else {
				within("ks", d, day(4), 0.001)
			}
		}
	}
	if len(m.Quality) != 1 {
		t.Errorf("quality %+v, want the AUC drop of day 5", m.Quality)
	} else {
		within("auc", m.Quality[0], day(5), 0.70)
	}
}
