package wiring

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/recording"
)

// fakeRemote answers each expression with one sample, none for the names
// in missing, and records what it was asked; detectErr fails detection.
type fakeRemote struct {
	mu        sync.Mutex
	asked     []string
	present   []string // recorded series that exist
	missing   map[string]bool
	detectErr error
}

func (f *fakeRemote) Name() string    { return "prometheus" }
func (f *fakeRemote) Kind() string    { return "prometheus" }
func (f *fakeRemote) Backend() string { return "prometheus" }

func (f *fakeRemote) Query(_ context.Context, expr string, _ time.Time) (model.Vector, []string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, expr)
	if strings.HasPrefix(expr, "group by (__name__)") {
		if f.detectErr != nil {
			return nil, nil, f.detectErr
		}
		var v model.Vector
		for _, n := range f.present {
			v = append(v, &model.Sample{Metric: model.Metric{model.MetricNameLabel: model.LabelValue(n)}, Value: 1})
		}
		return v, nil, nil
	}
	if strings.HasPrefix(expr, `{__name__=~"`) {
		var v model.Vector
		for _, n := range f.present {
			if !f.missing[n] && strings.Contains(expr, n) {
				v = append(v, &model.Sample{Metric: model.Metric{model.MetricNameLabel: model.LabelValue(n), "model": "m"}, Value: 2})
			}
		}
		return v, nil, nil
	}
	return model.Vector{{Metric: model.Metric{"model": "m"}, Value: 1}}, nil, nil
}

func (f *fakeRemote) QueryTable(ctx context.Context, expr string, at time.Time, cols []string) (*labelrows.Table, []string, error) {
	v, w, err := f.Query(ctx, expr, at)
	return labelrows.FromVector(v, cols), w, err
}

func (f *fakeRemote) QueryRange(ctx context.Context, expr string, _, _ time.Time, _ time.Duration) (model.Matrix, []string, error) {
	v, w, err := f.Query(ctx, expr, time.Time{})
	var m model.Matrix
	for _, s := range v {
		m = append(m, &model.SampleStream{Metric: s.Metric, Values: []model.SamplePair{{Value: s.Value}}})
	}
	return m, w, err
}

func (f *fakeRemote) last() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked[len(f.asked)-1]
}

func recordedFor(t *testing.T, yaml string, f *fakeRemote) (*recordedSource, []recording.Rule) {
	t.Helper()
	cfg, err := config.ParseEnv("config.yaml", []byte(yaml), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	rules, err := recording.Rules(cfg)
	if err != nil {
		t.Fatal(err)
	}
	src, err := withRecorded(cfg, f, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	r, ok := src.(*recordedSource)
	if !ok {
		if strings.Contains(yaml, "recorded: false") {
			return nil, rules
		}
		t.Fatalf("%q: not wrapped", yaml)
	}
	return r, rules
}

// Only the roles whose series exist are read from them; a recorded read
// that answers nothing is answered by the expression; other expressions
// pass unchanged.
func TestRecordedSourceRewritesDetectedRoles(t *testing.T) {
	ctx := context.Background()
	f := &fakeRemote{}
	r, rules := recordedFor(t, "prometheus: {url: 'http://x:1'}\n", f)
	f.present = []string{rules[0].Record, rules[1].Record}
	if r.Recorded() != nil {
		t.Fatal("status before detection")
	}
	at := time.Now()
	v, _, err := r.Query(ctx, rules[0].Expr, at)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.last(); !isBatch(got) || len(v) != 1 || v[0].Value != 2 || v[0].Metric[model.MetricNameLabel] != "" || v[0].Metric["model"] != "m" {
		t.Errorf("asked %q for %s and got %v, want its recorded series without their name", got, rules[0].Role, v)
	}
	// The other roles of the same refresh share that one request.
	n := len(f.asked)
	if tab, _, err := r.QueryTable(ctx, rules[1].Expr, at, []string{"model"}); err != nil || tab.Len() != 1 || len(f.asked) != n {
		t.Errorf("a second recorded role of the refresh: %d rows, %v, %d more requests", tab.Len(), err, len(f.asked)-n)
	}
	if _, _, err := r.QueryRange(ctx, rules[1].Expr, at, at, time.Second); err != nil || f.last() != rules[1].Record {
		t.Errorf("range query asked %q (%v), want %q", f.last(), err, rules[1].Record)
	}
	_, _, _ = r.QueryTable(ctx, rules[2].Expr, time.Now(), []string{"model"})
	if got := f.last(); got != rules[2].Expr {
		t.Errorf("asked %q for %s, whose series does not exist", got, rules[2].Role)
	}
	if st := r.Recorded(); st == nil || len(st.Roles) != 2 || st.Of != len(rules) {
		t.Errorf("status %+v", st)
	}
	// The rules stopped: the recorded series answers nothing.
	f.missing = map[string]bool{rules[0].Record: true}
	v, _, _ = r.Query(ctx, rules[0].Expr, time.Now())
	if len(v) != 1 || f.last() != rules[0].Expr {
		t.Errorf("an empty recorded answer gave %v after asking %q, want the expression's", v, f.last())
	}
	if n := strings.Count(strings.Join(f.asked, "\n"), "group by (__name__)"); n != 1 {
		t.Errorf("detection ran %d times, want once", n)
	}
}

// A failed detection reads every expression as it is, and asks again
// only a minute later.
func TestRecordedSourceDetectionFailure(t *testing.T) {
	ctx := context.Background()
	f := &fakeRemote{detectErr: errors.New("connection refused")}
	r, rules := recordedFor(t, "prometheus: {url: 'http://x:1'}\n", f)
	f.present = []string{rules[0].Record}
	for range 3 {
		_, _, _ = r.Query(ctx, rules[0].Expr, time.Now())
		if got := f.last(); got != rules[0].Expr {
			t.Fatalf("asked %q after a failed detection", got)
		}
	}
	if n := strings.Count(strings.Join(f.asked, "\n"), "group by (__name__)"); n != 1 {
		t.Errorf("detection ran %d times within a minute, want once", n)
	}
	if r.Recorded() != nil {
		t.Errorf("status %+v after a failed detection", r.Recorded())
	}
	r.mu.Lock()
	r.retryAt = time.Now().Add(-time.Second)
	r.mu.Unlock()
	f.detectErr = nil
	_, _, _ = r.Query(ctx, rules[0].Expr, time.Now())
	if got := f.last(); !isBatch(got) {
		t.Errorf("asked %q after detection succeeded, want the recorded series", got)
	}
}

// recorded: true reads every recorded role without asking; false never
// wraps the source.
func TestRecordedSourceForcedAndOff(t *testing.T) {
	f := &fakeRemote{}
	r, rules := recordedFor(t, "prometheus: {url: 'http://x:1', recorded: true}\n", f)
	for _, rule := range rules {
		f.present = append(f.present, rule.Record)
	}
	if st := r.Recorded(); st == nil || len(st.Roles) != len(rules) {
		t.Errorf("recorded: true status %+v", st)
	}
	_, _, _ = r.Query(context.Background(), rules[3].Expr, time.Now())
	if len(f.asked) != 1 || !isBatch(f.asked[0]) || !strings.Contains(f.asked[0], rules[3].Record) {
		t.Errorf("asked %q, want only the recorded series", f.asked)
	}
	if off, _ := recordedFor(t, "prometheus: {url: 'http://x:1', recorded: false}\n", &fakeRemote{}); off != nil {
		t.Error("recorded: false wrapped the source")
	}
}

func isBatch(expr string) bool { return strings.HasPrefix(expr, `{__name__=~"`) }
