package events

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
)

// everySource is one event of each kind (and some that must not be
// events) for model "credit" over [t0, t0+1h].
func everySource() Options {
	nan := math.NaN()
	return Options{
		Served: &fakeServed{ivs: map[string][]fleet.ServedInterval{"credit": {
			{Version: "6", From: t0, To: at(30)}, // serving before the range: no deploy
			{Version: "7", From: at(10), To: at(60)},
			{Version: "6", From: at(50), To: at(60)}, // back after a pause
		}}},
		Registry: &fakeRegistry{changes: []fleet.RegistryChange{
			{Time: at(12), Model: "credit", Alias: "champion", From: "6", To: "7"},
			{Time: at(13), Model: "credit", Version: "7", From: "Staging", To: "Production"},
			{Time: at(14), Model: "other", Alias: "champion", From: "1", To: "2"},
		}},
		Audit: &fakeAudit{records: []audit.Record{
			{Time: at(49), ID: "a1", State: audit.Requested, Action: "rollback", Model: "credit", Actor: audit.Actor{User: "alice"}},
			{Time: at(49).Add(time.Second), ID: "a1", State: audit.Succeeded, Action: "rollback", Model: "credit",
				Actor: audit.Actor{User: "alice"}, After: map[string]string{"version": "6"}},
			{Time: at(20), ID: "b1", State: audit.Succeeded, Action: "retrain", Model: "other"},
		}},
		Metrics: &fakeMetrics{answers: map[string]model.Matrix{
			"rollout_step": {series(model.Metric{"model": "credit"}, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)},
			"drift_score": {
				series(model.Metric{"model": "credit", "version": "7", "feature": "age", "method": "psi"}, 30, 0.05, 0.06, 0.3, 0.4),
				series(model.Metric{"model": "credit", "version": "7", "feature": "odd", "method": "no-such-method"}, 30, 9, 9, 9, 9),
			},
			"ALERTS": {series(model.Metric{"alertname": "ModelErrorRate", "model": "credit", "version": "7"}, 40, 1, 1)},
		}},
		RolloutStep: "model_rollout_step",
		DriftScore:  "model_drift_score",
		Alerts:      true,
		Drift: &fakeDrift{h: fleet.DriftHistory{Model: "credit", Range: time.Hour, Step: time.Minute, End: at(60),
			Series: []fleet.DriftSeries{{Version: "6", Feature: "tenure", Method: "psi", Threshold: 0.2,
				Scores: []float64{0.1, nan, 0.1, 0.25, 0.3}}}}},
		MinStep: time.Minute,
		Now:     func() time.Time { return at(60) },
	}
}

func TestEventsMergesEverySourceOldestFirst(t *testing.T) {
	c := New(everySource())
	evs, err := c.Events(context.Background(), "credit", t0, at(60))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		min  int
		kind fleet.EventKind
		text string
	}{
		{10, fleet.EventDeploy, "v7 took traffic"},
		{12, fleet.EventAlias, "@champion v6 → v7"},
		{13, fleet.EventStage, "v7 Staging → Production"},
		{20, fleet.EventRolloutStep, "rollout step 0 → 1"},
		{32, fleet.EventDriftOnset, "drift began on v7: age"},
		{40, fleet.EventAlert, "ModelErrorRate firing on v7"},
		{49, fleet.EventAction, "rollback by alice: succeeded"},
		{50, fleet.EventDeploy, "v6 took traffic again"},
		{59, fleet.EventDriftOnset, "drift began on v6: tenure"},
	}
	if len(evs) != len(want) {
		t.Fatalf("got %d events, want %d:\n%s", len(evs), len(want), dump(evs))
	}
	for i, w := range want {
		e := evs[i]
		if !e.Time.Truncate(time.Minute).Equal(at(w.min)) || e.Kind != w.kind || e.Text != w.text || e.Model != "credit" {
			t.Errorf("event %d = %s %s %q (model %q), want minute %d %s %q", i, e.Time.Format("15:04:05"), e.Kind, e.Text, e.Model, w.min, w.kind, w.text)
		}
	}
	if evs[6].Version != "6" {
		t.Errorf("the rollback's version = %q, want the one it moved to (6)", evs[6].Version)
	}
}

func dump(evs []fleet.Event) string {
	var b strings.Builder
	for _, e := range evs {
		b.WriteString(e.Time.Format("15:04:05") + " " + string(e.Kind) + " " + e.Text + "\n")
	}
	return b.String()
}

func TestEventsOutsideTheRangeAreLeftOut(t *testing.T) {
	c := New(everySource())
	evs, err := c.Events(context.Background(), "credit", at(11), at(45))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Time.Before(at(11)) || e.Time.After(at(45)) {
			t.Errorf("event at %s outside [02:11, 02:45]: %s", e.Time.Format("15:04"), e.Text)
		}
	}
	if len(evs) == 0 {
		t.Fatal("no events in a range that holds the alias move")
	}
}

func TestAFailingSourceIsNamedAndTheOthersStillShow(t *testing.T) {
	o := everySource()
	o.Registry = &fakeRegistry{err: errors.New("file is locked")}
	o.Metrics.(*fakeMetrics).failOn = "ALERTS"
	evs, err := New(o).Events(context.Background(), "credit", t0, at(60))
	var p *PartialError
	if !errors.As(err, &p) || !IsPartial(err) {
		t.Fatalf("err = %v, want a partial error", err)
	}
	for _, want := range []string{"registry history: registry changes of credit: file is locked", "alerts: range query", "connection refused"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	kinds := map[fleet.EventKind]int{}
	for _, e := range evs {
		kinds[e.Kind]++
	}
	if kinds[fleet.EventAlias] != 0 || kinds[fleet.EventAlert] != 0 {
		t.Errorf("failed sources gave events: %v", kinds)
	}
	if kinds[fleet.EventDeploy] != 2 || kinds[fleet.EventAction] != 1 || kinds[fleet.EventRolloutStep] != 1 {
		t.Errorf("the working sources' events are missing: %v", kinds)
	}
}

func TestNoSourcesNoEvents(t *testing.T) {
	evs, err := New(Options{}).Events(context.Background(), "credit", t0, at(60))
	if err != nil || len(evs) != 0 {
		t.Fatalf("events %v, err %v; want none and no error", evs, err)
	}
	if _, err := New(Options{}).Events(context.Background(), "credit", at(60), t0); err == nil {
		t.Fatal("a range that ends before it begins gave no error")
	}
}

func TestASlowSourceIsCutAtTheTimeout(t *testing.T) {
	o := everySource()
	o.Served = &fakeServed{block: true}
	o.Timeout = 50 * time.Millisecond
	evs, err := New(o).Events(context.Background(), "credit", t0, at(60))
	if !IsPartial(err) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "deploys") {
		t.Fatalf("err = %v, want deploys cut by the deadline", err)
	}
	if len(evs) == 0 {
		t.Fatal("the other sources' events were lost with the slow one")
	}
}

func TestAnswersAreSharedBriefly(t *testing.T) {
	o := everySource()
	served := o.Served.(*fakeServed)
	now := at(60)
	var mu sync.Mutex
	o.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	o.CacheFor = 15 * time.Second
	c := New(o)

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.Events(context.Background(), "credit", t0, at(60)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := served.calls.Load(); n != 1 {
		t.Fatalf("8 sessions asking at once made %d collections, want 1", n)
	}
	// A few seconds later, the same span: still the same answer.
	mu.Lock()
	now = now.Add(5 * time.Second)
	mu.Unlock()
	if _, err := c.Events(context.Background(), "credit", t0.Add(5*time.Second), at(60).Add(5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if n := served.calls.Load(); n != 1 {
		t.Fatalf("an ask 5s later made a new collection (%d)", n)
	}
	// Past CacheFor: collected again.
	mu.Lock()
	now = now.Add(20 * time.Second)
	mu.Unlock()
	if _, err := c.Events(context.Background(), "credit", t0.Add(25*time.Second), at(60).Add(25*time.Second)); err != nil {
		t.Fatal(err)
	}
	if n := served.calls.Load(); n != 2 {
		t.Fatalf("after the cache expired: %d collections, want 2", n)
	}
	// Another span is another answer.
	if _, err := c.Events(context.Background(), "credit", at(30).Add(25*time.Second), at(60).Add(25*time.Second)); err != nil {
		t.Fatal(err)
	}
	if n := served.calls.Load(); n != 3 {
		t.Fatalf("another span: %d collections, want 3", n)
	}
}

func TestHostileTextIsCleaned(t *testing.T) {
	o := Options{
		Registry: &fakeRegistry{changes: []fleet.RegistryChange{
			{Time: at(5), Model: "credit", Alias: "champ\x1b[2J\x1b]0;pwned\x07", From: "1", To: "2\x1b[31m"},
		}},
		Audit: &fakeAudit{records: []audit.Record{
			{Time: at(6), ID: "x", State: audit.Failed, Action: "retrain", Model: "credit", Actor: audit.Actor{User: "eve\x1b[1A\r"}},
		}},
		Metrics: &fakeMetrics{answers: map[string]model.Matrix{
			"ALERTS": {series(model.Metric{"alertname": "Bad\x1b[5mBlink", "model": "credit"}, 30, 1)},
		}},
		Alerts:  true,
		MinStep: time.Minute,
	}
	evs, err := New(o).Events(context.Background(), "credit", t0, at(60))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 3 {
		t.Fatalf("got %d events, want 3:\n%s", len(evs), dump(evs))
	}
	for _, e := range evs {
		if strings.ContainsAny(e.Text+e.Version, "\x1b\x07\r") {
			t.Errorf("control bytes reach the terminal: %q", e.Text)
		}
	}
}

func TestAlertsAlreadyFiringAndReturning(t *testing.T) {
	o := Options{
		Metrics: &fakeMetrics{answers: map[string]model.Matrix{"ALERTS": {
			// Firing from the start, then gone, then back at minute 20.
			series(model.Metric{"alertname": "Slow", "model": "credit"}, 0, 1, 1, 1),
			series(model.Metric{"alertname": "Slow", "model": "credit"}, 20, 1, 1),
		}}},
		Alerts: true, MinStep: time.Minute,
	}
	// One stream with a gap, as Prometheus returns it.
	m := o.Metrics.(*fakeMetrics)
	s := m.answers["ALERTS"]
	s[0].Values = append(s[0].Values, s[1].Values...)
	m.answers["ALERTS"] = s[:1]
	evs, err := New(o).Events(context.Background(), "credit", t0, at(60))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || !evs[0].Time.Equal(at(20)) || evs[0].Text != "Slow firing" {
		t.Fatalf("events:\n%s\nwant one: Slow firing at 02:20", dump(evs))
	}
	if got := m.asked[0]; !strings.Contains(got, `alertstate="firing"`) || !strings.Contains(got, `model="credit"`) {
		t.Errorf("asked %s, want the model's firing ALERTS", got)
	}
}

// Two sessions whose clocks tick apart share one collection; the computed
// drift, the costly source, is reused until its next step while the rest
// is collected again.
func TestSessionsShareAndDriftWaitsForItsStep(t *testing.T) {
	o := everySource()
	served, dh := o.Served.(*fakeServed), o.Drift.(*fakeDrift)
	now := at(60)
	var mu sync.Mutex
	o.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c := New(o)
	day := 24 * time.Hour
	ask := func(skew time.Duration) {
		t.Helper()
		mu.Lock()
		to := now.Add(skew)
		mu.Unlock()
		if _, err := c.Events(context.Background(), "credit", to.Add(-day), to); err != nil {
			t.Fatal(err)
		}
	}
	ask(0)
	ask(-300 * time.Millisecond) // a session whose clock is a little behind
	if n := served.calls.Load(); n != 1 {
		t.Fatalf("two sessions 300ms apart made %d collections, want 1", n)
	}
	mu.Lock()
	now = now.Add(time.Minute) // past the cache, within a day's 6-minute step
	mu.Unlock()
	ask(0)
	if n, d := served.calls.Load(), dh.calls.Load(); n != 2 || d != 1 {
		t.Fatalf("a minute later: %d collections, %d drift histories; want 2 and 1", n, d)
	}
	mu.Lock()
	now = now.Add(6 * time.Minute)
	mu.Unlock()
	ask(0)
	if d := dh.calls.Load(); d != 2 {
		t.Fatalf("a step later: %d drift histories, want 2", d)
	}
}

// A model whose traffic history begins inside the range (the server began
// scraping then) has no deploys at that start; a version after it does.
func TestHistoryBeginningInTheRangeIsNoDeploy(t *testing.T) {
	c := New(Options{Served: &fakeServed{ivs: map[string][]fleet.ServedInterval{"credit": {
		{Version: "1", From: at(5), To: at(60)},
		{Version: "2", From: at(5), To: at(20)}, // a canary already running then
		{Version: "3", From: at(30), To: at(60)},
	}}}, MinStep: 15 * time.Second, Timeout: time.Second})
	evs, err := c.Events(context.Background(), "credit", t0, at(60))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Text != "v3 took traffic" || !evs[0].Time.Equal(at(30)) {
		t.Errorf("events %+v, want only v3 taking traffic at +30m", evs)
	}
}

// Looking back, the computed drift is asked for up to the range's end, so
// an onset then is found; a range ending now asks for the present's.
func TestDriftOnsetsOfAPastRange(t *testing.T) {
	d := &pastDrift{fakeDrift: fakeDrift{h: fleet.DriftHistory{Model: "credit", Step: time.Minute,
		Series: []fleet.DriftSeries{{Version: "6", Feature: "tenure", Method: "psi", Threshold: 0.2,
			Scores: []float64{0.1, 0.1, 0.3}}}}}}
	now := at(600)
	c := New(Options{Drift: d, MinStep: time.Minute, Timeout: time.Second, Now: func() time.Time { return now }})
	evs, err := c.Events(context.Background(), "credit", at(0), at(60))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.ends) != 1 || !d.ends[0].Equal(at(60)) {
		t.Fatalf("drift asked for ranges ending %v, want one ending at the range's end %v", d.ends, at(60))
	}
	if len(evs) != 1 || evs[0].Kind != fleet.EventDriftOnset || !evs[0].Time.Equal(at(60)) {
		t.Errorf("events %+v, want v6's drift onset at the range's last step", evs)
	}
	if _, err := c.Events(context.Background(), "credit", now.Add(-time.Hour), now); err != nil {
		t.Fatal(err)
	}
	if len(d.ends) != 2 || !d.ends[1].IsZero() {
		t.Errorf("a range ending now asked for %v, want the present's drift history", d.ends)
	}
}

// An alert whose first sample is a step into the range began inside it:
// the step before shows it was not firing then.
func TestAlertBeginningAStepIntoTheRange(t *testing.T) {
	o := Options{
		Metrics: &fakeMetrics{answers: map[string]model.Matrix{"ALERTS": {
			series(model.Metric{"alertname": "Slow", "model": "credit"}, 1, 1, 1),
		}}},
		Alerts: true, MinStep: time.Minute,
	}
	evs, err := New(o).Events(context.Background(), "credit", t0, at(60))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || !evs[0].Time.Equal(at(1)) {
		t.Fatalf("events:\n%s\nwant one: Slow firing at 02:01", dump(evs))
	}
}

// Served brings its intervals with an error when only its error-ratio or
// quality query failed: the deploys still show, and the error is named.
func TestDeploysSurviveAFailedQualityQuery(t *testing.T) {
	c := New(Options{Served: &fakeServed{
		ivs: map[string][]fleet.ServedInterval{"credit": {
			{Version: "6", From: t0, To: at(30)},
			{Version: "7", From: at(30), To: at(60)},
		}},
		err: errors.New("error ratio: connection refused"),
	}, MinStep: time.Minute, Timeout: time.Second})
	evs, err := c.Events(context.Background(), "credit", t0, at(60))
	var pe *PartialError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err %v, want a partial error naming the failed query", err)
	}
	if len(evs) != 1 || evs[0].Text != "v7 took traffic" {
		t.Fatalf("events:\n%s\nwant v7 taking traffic", dump(evs))
	}
}

// gatedServed holds the call for the range ending at hold until release
// closes; started says it began. Every range has a deploy 30 minutes
// before its end.
type gatedServed struct {
	hold    time.Time
	started chan struct{}
	release chan struct{}
}

func (g *gatedServed) Served(ctx context.Context, model string, from, to time.Time) (map[string][]fleet.ServedInterval, error) {
	if to.Equal(g.hold) {
		close(g.started)
		select {
		case <-g.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return map[string][]fleet.ServedInterval{model: {
		{Version: "6", From: from, To: to},
		{Version: "7", From: to.Add(-30 * time.Minute), To: to},
	}}, nil
}

// A look back over an hour a day ago, asked while the live hour is being
// collected, is its own collection: the live one's events cut to the
// look back's range would be none.
func TestALookBackDoesNotJoinTheLiveCollection(t *testing.T) {
	now := at(60)
	g := &gatedServed{hold: now, started: make(chan struct{}), release: make(chan struct{})}
	c := New(Options{Served: g, MinStep: time.Minute, Timeout: 10 * time.Second, Now: func() time.Time { return now }})
	live := make(chan error, 1)
	go func() {
		_, err := c.Events(context.Background(), "credit", now.Add(-time.Hour), now)
		live <- err
	}()
	<-g.started
	defer func() { close(g.release); <-live }()

	back := now.Add(-24 * time.Hour)
	type answer struct {
		evs []fleet.Event
		err error
	}
	got := make(chan answer, 1)
	go func() {
		evs, err := c.Events(context.Background(), "credit", back.Add(-time.Hour), back)
		got <- answer{evs, err}
	}()
	select {
	case a := <-got:
		if a.err != nil {
			t.Fatal(a.err)
		}
		if len(a.evs) != 1 || !a.evs[0].Time.Equal(back.Add(-30*time.Minute)) {
			t.Fatalf("look-back events:\n%s\nwant v7 taking traffic 30 minutes before its end", dump(a.evs))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the look back waited on the live collection")
	}
}
