package auditreport

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
)

var (
	t0  = time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	end = t0.Add(24 * time.Hour)
)

func min(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

type fakeServed map[string][]fleet.ServedInterval

func (f fakeServed) Served(_ context.Context, model string, from, to time.Time) (map[string][]fleet.ServedInterval, error) {
	if model != "" {
		return map[string][]fleet.ServedInterval{model: f[model]}, nil
	}
	return f, nil
}

type fakeHistory []fleet.RegistryChange

// Began: the fake's history began a day before the period.
func (f fakeHistory) Began(string) time.Time { return t0.Add(-24 * time.Hour) }

// historyBegan is a history that began at a time of its own (zero: it
// has no record).
type historyBegan struct {
	fakeHistory
	at time.Time
}

func (h historyBegan) Began(string) time.Time { return h.at }

func (f fakeHistory) Changes(model string, since time.Time) ([]fleet.RegistryChange, error) {
	var out []fleet.RegistryChange
	for _, c := range f {
		if (model == "" || c.Model == model) && !c.Time.Before(since) {
			out = append(out, c)
		}
	}
	return out, nil
}

// fakeMetrics answers by the expression's first word; it records what it
// was asked.
type fakeMetrics struct {
	answers map[string]model.Matrix
	err     error
	asked   []string
	steps   []time.Duration
}

func (f *fakeMetrics) QueryRange(_ context.Context, expr string, start, end time.Time, step time.Duration) (model.Matrix, []string, error) {
	f.asked, f.steps = append(f.asked, expr), append(f.steps, step)
	if f.err != nil {
		return nil, nil, f.err
	}
	for k, m := range f.answers {
		if strings.Contains(expr, k) {
			return m, nil, nil
		}
	}
	return nil, nil, nil
}

type fakeRules []string

func (f fakeRules) AlertRuleNames(context.Context) ([]string, error) { return f, nil }

// series builds one series with a value per step from minute 0.
func series(step time.Duration, labels map[string]string, values ...float64) *model.SampleStream {
	s := &model.SampleStream{Metric: model.Metric{}}
	for k, v := range labels {
		s.Metric[model.LabelName(k)] = model.LabelValue(v)
	}
	for i, v := range values {
		if v < 0 {
			continue
		}
		s.Values = append(s.Values, model.SamplePair{Timestamp: model.TimeFromUnixNano(t0.Add(time.Duration(i) * step).UnixNano()), Value: model.SampleValue(v)})
	}
	return s
}

const hostile = "fr\x1b]0;pwned\x07aud|*x*"

func testInputs(t *testing.T, metrics *fakeMetrics) Inputs {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	log := audit.New(path)
	for _, r := range []audit.Record{
		{Time: min(-60), ID: "old", State: audit.Succeeded, Action: "rollback", Model: "churn"}, // before the period
		{Time: min(100), ID: "a1", State: audit.Requested, Action: "rollback", Model: "churn", Actor: audit.Actor{User: "ana", Host: "bastion", Role: "operator"},
			Reason: "error spike after v7", Before: map[string]string{"alias": "champion", "version": "7"}, After: map[string]string{"alias": "champion", "version": "6"}},
		{Time: min(101), ID: "a1", State: audit.Succeeded, Action: "rollback", Model: "churn", Actor: audit.Actor{User: "ana", Host: "bastion", Role: "operator"},
			Reason: "error spike after v7", Before: map[string]string{"alias": "champion", "version": "7"}, After: map[string]string{"alias": "champion", "version": "6"},
			Response: &audit.Response{Status: 200, Message: "alias moved"}},
		{Time: min(200), ID: "a2", State: audit.Refused, Action: "retrain", Model: hostile, Actor: audit.Actor{User: "bo\x1b[31m", Role: "viewer"}, Reason: "why\nnot"},
	} {
		if err := log.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	er := 0.004
	return Inputs{
		Served: fakeServed{"churn": {{Version: "6", From: t0, To: min(90), Share: 1, ErrorRatio: &er}, {Version: "7", From: min(90), To: min(100), Share: 1}}},
		Registry: fakeHistory{{Time: min(90), Model: "churn", Alias: "champion", From: "6", To: "7"},
			{Time: min(101), Model: "churn", Alias: "champion", From: "7", To: "6"},
			{Time: min(300), Model: hostile, Version: "3", From: "Staging", To: "Production\x1b[2J"}},
		AuditPath: path,
		Metrics:   metrics,
		Rules:     fakeRules{"MLTopErrorRatioHigh"},
		Queries: map[fleet.Role]string{
			fleet.RoleErrorRatio:  `sum by (model, version) (rate(errs[5m])) / sum by (model, version) (rate(reqs[5m]))`,
			fleet.RoleDriftScore:  `max by (model, version, feature, method) (model_drift_score)`,
			fleet.RolePerformance: `max by (model, version, metric) (model_performance)`,
		},
		Judge: judge.Config{Thresholds: fleet.Thresholds{ErrorRate: 0.05, QualityDrop: 0.05}},
		Current: &fleet.Registry{Models: []fleet.RegisteredModel{{Name: "churn", Versions: []fleet.RegisteredVersion{
			{Version: "7", Baseline: map[string]float64{"auc": 0.88}}}}}},
		MinStep: 15 * time.Second,
	}
}

func TestBuildReadsEverySection(t *testing.T) {
	step := StepFor(t0, end, 15*time.Second) // 24h → 15 s
	m := &fakeMetrics{answers: map[string]model.Matrix{
		"ALERTS": {series(step, map[string]string{"alertname": "MLTopErrorRatioHigh", "model": "churn", "version": "7"}, -1, 1, 1, 1, -1)},
		"errs": {
			series(step, map[string]string{"model": "churn", "version": "7"}, 0.01, 0.07, 0.12, 0.06, 0.02),
			series(step, map[string]string{"model": "churn", "version": "6"}, 0.01, 0.01, 0.01, 0.01, 0.01),
		},
		"model_drift_score": {
			series(step, map[string]string{"model": "churn", "version": "7", "feature": "tenure", "method": "psi"}, 0.05, 0.25, 0.4, 0.08),
			series(step, map[string]string{"model": "churn", "version": "7", "feature": "plan", "method": "ks"}, 0.5, 0.01, 0.2, 0.2),
		},
		"model_performance": {series(step, map[string]string{"model": "churn", "version": "7", "metric": "auc"}, 0.88, 0.85, 0.82, 0.80, 0.87)},
	}}
	r := Build(context.Background(), testInputs(t, m), Options{From: t0, To: end}, end)
	for _, s := range r.Sections {
		if s.Status != StatusOK {
			t.Errorf("section %s: %s %s", s.Name, s.Status, s.Detail)
		}
	}
	for _, q := range m.asked {
		if strings.Contains(q, "errs") && !strings.HasSuffix(q, ") >= 0.05") {
			t.Errorf("the breach query asks for every point, not those over the threshold: %s", q)
		}
	}
	for _, st := range m.steps {
		if st != step || int(end.Sub(t0)/st)+1 > 11_000 {
			t.Errorf("range query step %s, want %s within 11,000 points", st, step)
		}
	}
	if len(r.Models) != 2 || r.Models[0].Name != "churn" {
		t.Fatalf("models %+v", r.Models)
	}
	c := r.Models[0]
	if len(c.Served) != 2 || c.Served[0].Version != "6" || *c.Served[0].ErrorRatio != 0.004 {
		t.Errorf("served %+v", c.Served)
	}
	if len(c.Actions) != 1 || c.Actions[0].State != "succeeded" || c.Actions[0].Change != "champion 7 → 6" ||
		c.Actions[0].User != "ana" || c.Actions[0].Reason != "error spike after v7" || c.Actions[0].Outcome != "HTTP 200 alias moved" ||
		!c.Actions[0].Requested.Equal(min(100)) || !c.Actions[0].Time.Equal(min(101)) {
		t.Errorf("actions %+v", c.Actions)
	}
	if len(c.Alerts) != 1 || c.Alerts[0].Name != "MLTopErrorRatioHigh" || !c.Alerts[0].From.Equal(t0.Add(step)) || !c.Alerts[0].To.Equal(t0.Add(3*step)) || c.Alerts[0].Peak != nil {
		t.Errorf("alerts %+v", c.Alerts)
	}
	if len(c.Breaches) != 1 || c.Breaches[0].Version != "7" || *c.Breaches[0].Peak != 0.12 || !c.Breaches[0].From.Equal(t0.Add(step)) || !c.Breaches[0].To.Equal(t0.Add(3*step)) {
		t.Errorf("breaches %+v", c.Breaches)
	}
	// PSI ≥ 0.1 at steps 1–2 (peak 0.4); KS p-value < 0.05 at step 1 only (peak 0.01).
	if len(c.Drift) != 2 {
		t.Fatalf("drift %+v", c.Drift)
	}
	for _, d := range c.Drift {
		switch d.Method {
		case "psi":
			if *d.Peak != 0.4 || *d.Threshold != 0.1 || !d.To.Equal(t0.Add(2*step)) {
				t.Errorf("psi episode %+v peak %v threshold %v", d, *d.Peak, *d.Threshold)
			}
		case "ks":
			if *d.Peak != 0.01 || *d.Threshold != 0.05 || !d.From.Equal(d.To) {
				t.Errorf("ks episode %+v peak %v threshold %v", d, *d.Peak, *d.Threshold)
			}
		}
	}
	// auc .88 baseline: .82 and .80 are ≥ .05 below (a drop of .06, .08); .85 is not.
	if len(c.Quality) != 1 || *c.Quality[0].Peak != 0.80 || *c.Quality[0].Baseline != 0.88 || !c.Quality[0].From.Equal(t0.Add(2*step)) || !c.Quality[0].To.Equal(t0.Add(3*step)) {
		t.Errorf("quality %+v", c.Quality)
	}
	if len(c.Registry) != 2 || c.Registry[0].From != "6" || c.Registry[1].To != "6" {
		t.Errorf("registry %+v", c.Registry)
	}
}

func TestUnknownSectionsSayWhy(t *testing.T) {
	in := testInputs(t, &fakeMetrics{err: &net{}})
	in.Served, in.ServedMissing = nil, "the metrics source answers no range queries"
	in.Current, in.CurrentMissing = nil, "no MLflow registry is configured"
	r := Build(context.Background(), in, Options{From: t0, To: end}, end)
	want := map[string]string{
		SectionServed:   "the metrics source answers no range queries",
		SectionAlerts:   "range query of ALERTS: connection refused",
		SectionBreaches: "range query of error_ratio: connection refused",
		SectionDrift:    "range query of drift_score: connection refused",
		SectionQuality:  "no MLflow registry is configured",
	}
	for _, s := range r.Sections {
		w, ok := want[s.Name]
		if !ok {
			if s.Status != StatusOK {
				t.Errorf("%s: %s %s", s.Name, s.Status, s.Detail)
			}
			continue
		}
		if s.Status != StatusUnknown || !strings.HasPrefix(s.Detail, w) {
			t.Errorf("%s: %s %q, want unknown %q", s.Name, s.Status, s.Detail, w)
		}
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"### Alerts fired\n\n**unknown** — range query of ALERTS: connection refused",
		"### Versions served\n\n**unknown** — the metrics source answers no range queries"} {
		if !strings.Contains(md.String(), w) {
			t.Errorf("markdown lacks %q:\n%s", w, md.String())
		}
	}
}

// net is a refused connection as the transport reports it.
type net struct{}

func (*net) Error() string { return "dial tcp 127.0.0.1:9: connect: connection refused" }
func (*net) Unwrap() error { return syscall.ECONNREFUSED }

func TestAlertsUnknownWithoutRules(t *testing.T) {
	in := testInputs(t, &fakeMetrics{})
	in.Rules = fakeRules{"SomethingElse"}
	r := Build(context.Background(), in, Options{From: t0, To: end}, end)
	if s := r.Sections[2]; s.Name != SectionAlerts || s.Status != StatusUnknown || !strings.Contains(s.Detail, "none of mltop's alerting rules") {
		t.Errorf("alerts without mltop's rules: %+v", s)
	}
	in.Rules = fakeRules{"MLTopFeatureDrift"}
	r = Build(context.Background(), in, Options{From: t0, To: end}, end)
	if s := r.Sections[2]; s.Status != StatusOK {
		t.Errorf("alerts with mltop's rules and none fired: %+v", s)
	}
	in.Rules = nil
	r = Build(context.Background(), in, Options{From: t0, To: end}, end)
	if s := r.Sections[2]; s.Status != StatusUnknown {
		t.Errorf("no alert and no way to check the rules: %+v", s)
	}
}

func TestModelFilterNarrowsQueries(t *testing.T) {
	m := &fakeMetrics{}
	in := testInputs(t, m)
	in.ModelNames = map[string]string{"churn-serving": "churn"}
	r := Build(context.Background(), in, Options{From: t0, To: end, Model: "churn"}, end)
	for _, q := range m.asked {
		if !strings.Contains(q, `model=~"churn|churn-serving"`) {
			t.Errorf("query not narrowed to the model: %s", q)
		}
	}
	for _, mr := range r.Models {
		if mr.Name != "churn" {
			t.Errorf("model %q in a report for churn", mr.Name)
		}
	}
}

func TestHostileTextIsCleaned(t *testing.T) {
	r := Build(context.Background(), testInputs(t, &fakeMetrics{}), Options{From: t0, To: end}, end)
	var md, js bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string][]byte{"markdown": md.Bytes(), "json": js.Bytes()} {
		for _, b := range out {
			if b < 0x20 && b != '\n' {
				t.Fatalf("%s carries control byte %#x:\n%q", name, b, out)
			}
		}
	}
	// The hostile model is one heading and its rows stay one row each.
	if !strings.Contains(md.String(), "## fr") || strings.Count(md.String(), "\n## ") != 3 {
		t.Errorf("headings:\n%s", md.String())
	}
	for _, line := range strings.Split(md.String(), "\n") {
		if strings.HasPrefix(line, "| ") && strings.Contains(line, "bo") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 9 {
			t.Errorf("a hostile cell broke its row: %q", line)
		}
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Schema != Schema || len(back.Models) != 2 {
		t.Errorf("JSON does not read back (%v): %+v", err, back)
	}
}

func TestEmptyReportSaysWhatWasNotRead(t *testing.T) {
	in := Inputs{ServedMissing: "no serving history", AuditPath: filepath.Join(t.TempDir(), "none.jsonl")}
	r := Build(context.Background(), in, Options{From: t0, To: end}, end)
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if want := "No model has a record in the period in the sections that could be read (6 of 7 could not: see above)."; !strings.Contains(md.String(), want) {
		t.Errorf("markdown lacks %q:\n%s", want, md.String())
	}
}

// A registry history that began after the period's start, or has no
// record, cannot say the period had no other change: partial, with when.
func TestRegistrySectionPartialBeforeHistoryBegan(t *testing.T) {
	for _, c := range []struct {
		began time.Time
		want  Status
	}{
		{min(90), Status{Name: SectionRegistry, Status: StatusPartial}},
		{time.Time{}, Status{Name: SectionRegistry, Status: StatusPartial}},
		{t0, Status{Name: SectionRegistry, Status: StatusOK}},
	} {
		in := Inputs{Registry: historyBegan{fakeHistory{{Time: min(90), Model: "churn", Alias: "champion", From: "6", To: "7"}}, c.began}}
		r := Build(context.Background(), in, Options{From: t0, To: end}, end)
		got := r.Sections[len(r.Sections)-1]
		if got.Name != c.want.Name || got.Status != c.want.Status {
			t.Errorf("history began %s: %+v, want %s", c.began, got, c.want.Status)
		}
		if !c.began.IsZero() && c.began.After(t0) && !strings.Contains(got.Detail, "began at 2026-03-04T01:30:00Z") {
			t.Errorf("history began %s: detail %q does not say when", c.began, got.Detail)
		}
		if strings.Contains(got.Detail, "at most one registry refresh") {
			t.Errorf("detail %q claims every change is within a refresh", got.Detail)
		}
	}
}

// Over 90 days (a 13-minute step) every point is its step's worst: the
// maximum over the step read at the scrape interval, the minimum too only
// for series where lower is worse (a p-value, a higher-is-better metric).
func TestLongPeriodQueriesCoverEachStep(t *testing.T) {
	from := end.Add(-90 * 24 * time.Hour)
	m := &fakeMetrics{answers: map[string]model.Matrix{
		"model_drift_score": {series(time.Minute, map[string]string{"model": "churn", "version": "7", "feature": "tenure", "method": "psi"}, 0.05)},
	}}
	Build(context.Background(), testInputs(t, m), Options{From: from, To: end}, end)
	want := []string{
		`max_over_time((ALERTS{alertname=~"MLTop.*",alertstate="firing"})[780s:15s])`,
		`(max_over_time((sum by (model, version) (rate(errs[5m])) / sum by (model, version) (rate(reqs[5m])))[780s:15s])) >= 0.05`,
		`max_over_time((max by (model, version, feature, method) (model_drift_score))[780s:15s])`,
		`max_over_time((max by (model, version, metric) (model_performance))[780s:15s])`,
	}
	if !slices.Equal(m.asked, want) {
		t.Errorf("asked\n%s\nwant\n%s", strings.Join(m.asked, "\n"), strings.Join(want, "\n"))
	}
}
