package events

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
)

// t0 is the start of every test's range: [t0, t0+1h].
var t0 = time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

type fakeServed struct {
	ivs   map[string][]fleet.ServedInterval
	err   error
	calls atomic.Int32
	// block, when set, holds every call until the context ends.
	block bool
}

func (f *fakeServed) Served(ctx context.Context, model string, from, to time.Time) (map[string][]fleet.ServedInterval, error) {
	f.calls.Add(1)
	if f.block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return f.ivs, f.err
}

type fakeRegistry struct {
	changes []fleet.RegistryChange
	err     error
}

func (f *fakeRegistry) Changes(model string, since time.Time) ([]fleet.RegistryChange, error) {
	if f.err != nil {
		return nil, f.err
	}
	var out []fleet.RegistryChange
	for _, c := range f.changes {
		if (model == "" || c.Model == model) && !c.Time.Before(since) {
			out = append(out, c)
		}
	}
	return out, nil
}

type fakeAudit struct{ records []audit.Record }

func (f *fakeAudit) Scan(visit func(audit.Record) error) (int, error) {
	for _, r := range f.records {
		if err := visit(r); err != nil {
			return 0, err
		}
	}
	return 0, nil
}

type fakeDrift struct {
	h     fleet.DriftHistory
	calls atomic.Int32
}

func (f *fakeDrift) DriftHistory(string, time.Duration, int) (fleet.DriftHistory, error) {
	f.calls.Add(1)
	return f.h, nil
}

// fakeMetrics answers each range query with the matrix whose key the
// query contains; it fails a query containing failOn.
type fakeMetrics struct {
	mu      sync.Mutex
	answers map[string]model.Matrix
	failOn  string
	asked   []string
}

func (f *fakeMetrics) QueryRange(_ context.Context, expr string, start, end time.Time, step time.Duration) (model.Matrix, []string, error) {
	f.mu.Lock()
	f.asked = append(f.asked, expr)
	f.mu.Unlock()
	if f.failOn != "" && strings.Contains(expr, f.failOn) {
		return nil, nil, errors.New("connection refused")
	}
	for k, m := range f.answers {
		if strings.Contains(expr, k) {
			return m, nil, nil
		}
	}
	return nil, nil, nil
}

// series is a sample stream with one value per minute from minute first.
func series(labels model.Metric, first int, vals ...float64) *model.SampleStream {
	s := &model.SampleStream{Metric: labels}
	for i, v := range vals {
		s.Values = append(s.Values, model.SamplePair{Timestamp: model.TimeFromUnixNano(at(first + i).UnixNano()), Value: model.SampleValue(v)})
	}
	return s
}

// pastDrift is a drift history that records where the ranges it was asked
// for end (zero: now).
type pastDrift struct {
	fakeDrift
	ends []time.Time
}

func (p *pastDrift) DriftHistory(model string, rng time.Duration, width int) (fleet.DriftHistory, error) {
	p.ends = append(p.ends, time.Time{})
	return p.fakeDrift.DriftHistory(model, rng, width)
}

func (p *pastDrift) DriftHistoryAt(_ string, rng time.Duration, _ int, end time.Time) (fleet.DriftHistory, error) {
	p.ends = append(p.ends, end)
	h := p.h
	h.Range, h.End = rng, end
	return h, nil
}
