package poll

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"go.uber.org/goleak"

	"github.com/mltop/mltop/internal/fleet"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// sample builds a sample from a value and label pairs.
func sample(v float64, kv ...string) *model.Sample {
	m := model.Metric{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[model.LabelName(kv[i])] = model.LabelValue(kv[i+1])
	}
	return &model.Sample{Metric: m, Value: model.SampleValue(v)}
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fakeMetrics answers each query from answer, and counts calls.
type fakeMetrics struct {
	mu     sync.Mutex
	calls  int
	exprs  []string
	answer func(ctx context.Context, expr string) (model.Vector, []string, error)
}

func (f *fakeMetrics) Name() string    { return "fake-prom" }
func (f *fakeMetrics) Kind() string    { return "prometheus" }
func (f *fakeMetrics) Backend() string { return "thanos" }

func (f *fakeMetrics) Query(ctx context.Context, expr string, _ time.Time) (model.Vector, []string, error) {
	if _, ok := ctx.Deadline(); !ok {
		return nil, nil, errors.New("query without a deadline")
	}
	f.mu.Lock()
	f.calls++
	f.exprs = append(f.exprs, expr)
	f.mu.Unlock()
	return f.answer(ctx, expr)
}

func (f *fakeMetrics) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// fakeRegistry returns reg, or err when set.
type fakeRegistry struct {
	mu    sync.Mutex
	calls int
	reg   fleet.Registry
	err   error
}

func (f *fakeRegistry) Name() string { return "fake-mlflow" }
func (f *fakeRegistry) Kind() string { return "mlflow" }

func (f *fakeRegistry) Registry(ctx context.Context) (fleet.Registry, error) {
	if _, ok := ctx.Deadline(); !ok {
		return fleet.Registry{}, errors.New("registry read without a deadline")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return f.reg, f.err
}

func (f *fakeRegistry) set(reg fleet.Registry, err error) {
	f.mu.Lock()
	f.reg, f.err = reg, err
	f.mu.Unlock()
}

func (f *fakeRegistry) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// roleQueries is one query per role whose expression is the role's name.
func roleQueries(roles ...fleet.Role) []Query {
	qs := make([]Query, len(roles))
	for i, r := range roles {
		qs[i] = Query{Name: string(r), Role: r, Expr: string(r)}
	}
	return qs
}

func modelName(i int) string { return fmt.Sprintf("model-%04d", i) }

func findModel(t *testing.T, ms []fleet.Model, name string) *fleet.Model {
	t.Helper()
	for i := range ms {
		if ms[i].Name == name {
			return &ms[i]
		}
	}
	t.Fatalf("model %q not in %d models", name, len(ms))
	return nil
}

func findVersion(t *testing.T, m *fleet.Model, version string) *fleet.Version {
	t.Helper()
	v := m.Version(version)
	if v == nil {
		var have []string
		for _, v := range m.Versions {
			have = append(have, v.Version)
		}
		t.Fatalf("model %s has no version %q (has %q)", m.Name, version, have)
	}
	return v
}

func eqPtr(p *float64, want float64) bool { return p != nil && *p == want }

func modelNames(ms []fleet.Model) []string {
	out := make([]string, len(ms))
	for i := range ms {
		out[i] = ms[i].Name
	}
	return out
}
