package events

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/judge"
)

// driftStep is one score of one feature at one time.
type driftStep struct {
	t       time.Time
	feature string
	drifted bool
	known   bool
}

// onsets are the moments a version went from no feature drifted to at
// least one, naming the features that crossed. steps[i] hold every
// feature's verdict at time i, per version. A version drifting when the
// range begins has no onset in it.
func onsets(byVersion map[string][][]driftStep) []fleet.Event {
	var out []fleet.Event
	for v, steps := range byVersion {
		was, seen := false, false
		for _, at := range steps {
			now, known := false, false
			var names []string
			for _, s := range at {
				if !s.known {
					continue
				}
				known = true
				if s.drifted {
					now = true
					names = append(names, s.feature)
				}
			}
			if !known {
				continue
			}
			if seen && now && !was {
				sort.Strings(names)
				out = append(out, fleet.Event{Time: at[0].t, Kind: fleet.EventDriftOnset, Version: v,
					Text: "drift began on v" + v + ": " + featureList(names)})
			}
			was, seen = now, true
		}
	}
	return out
}

// featureList names up to three features, and how many more.
func featureList(names []string) string {
	out := ""
	for i, n := range names {
		if i == 3 {
			return out + fmt.Sprintf(" +%d", len(names)-3)
		}
		if i > 0 {
			out += ", "
		}
		if n == fleet.PredictionFeature {
			n = "prediction"
		}
		out += clean(n)
	}
	return out
}

// exportedDrift are drift onsets from the exporters' own scores against
// their method's threshold.
func (c *Collector) exportedDrift(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error) {
	m, step, err := c.rangeOf(ctx, c.opts.DriftScore, model, from, to)
	if err != nil {
		return nil, err
	}
	start := from.Truncate(step)
	n := int(to.Sub(start)/step) + 2
	byVersion := map[string][][]driftStep{}
	for _, s := range m {
		method := string(s.Metric["method"])
		th, ok := c.threshold(method)
		if !ok {
			continue // no threshold: no verdict to cross
		}
		v := clean(string(s.Metric["version"]))
		if byVersion[v] == nil {
			byVersion[v] = make([][]driftStep, n)
		}
		for _, p := range s.Values {
			i := int(p.Timestamp.Time().Sub(start) / step)
			if i < 0 || i >= n {
				continue
			}
			val := float64(p.Value)
			byVersion[v][i] = append(byVersion[v][i], driftStep{t: p.Timestamp.Time(), feature: string(s.Metric["feature"]),
				drifted: !math.IsNaN(val) && drift.Drifted(method, val, th), known: !math.IsNaN(val)})
		}
	}
	return onsets(compact(byVersion)), nil
}

func (c *Collector) threshold(method string) (float64, bool) {
	if c.opts.DriftThreshold != nil {
		if t, ok := c.opts.DriftThreshold(method); ok {
			return t, true
		}
	}
	return drift.DefaultThreshold(method)
}

// computedDrift are drift onsets from the drift mltop computes from the
// feature histograms, each score against the threshold it was judged by.
// The drift history ends now, so it serves ranges that end now.
func (c *Collector) computedDrift(_ context.Context, model string, from, to time.Time) ([]fleet.Event, error) {
	h, err := c.driftHistory(model, from, to)
	if err != nil {
		return nil, fmt.Errorf("drift history of %s: %w", model, err)
	}
	n := 0
	for _, s := range h.Series {
		n = max(n, len(s.Scores))
	}
	byVersion := map[string][][]driftStep{}
	for _, s := range h.Series {
		v := clean(s.Version)
		if byVersion[v] == nil {
			byVersion[v] = make([][]driftStep, n)
		}
		// The threshold the judge reads this series by (the one it was
		// computed against, else the method's default).
		th, thOK := judge.SeriesThreshold(s)
		for i, sc := range s.Scores {
			t := h.End.Add(-time.Duration(len(s.Scores)-1-i) * h.Step)
			byVersion[v][i] = append(byVersion[v][i], driftStep{t: t, feature: s.Feature,
				drifted: thOK && !math.IsNaN(sc) && drift.Drifted(s.Method, sc, th), known: thOK && !math.IsNaN(sc)})
		}
	}
	return onsets(compact(byVersion)), nil
}

// PastDriftHistory is a DriftHistory that can also end its range at a
// past time (a dashboard looking back).
type PastDriftHistory interface {
	DriftHistoryAt(model string, rng time.Duration, width int, end time.Time) (fleet.DriftHistory, error)
}

// driftHistory is the model's computed drift up to now, reused for the
// same span until a step (or CacheFor, if longer) has passed; a range
// ending more than a step ago (looking back) is computed up to its end
// when the provider can, since one ending now would hold none of it.
func (c *Collector) driftHistory(model string, from, to time.Time) (fleet.DriftHistory, error) {
	key := cacheKey{model: model, span: to.Sub(from)}
	now := c.opts.Now()
	keep := max(c.opts.CacheFor, history.StepFor(key.span, steps, c.opts.MinStep))
	if past, ok := c.opts.Drift.(PastDriftHistory); ok && now.Sub(to) > keep {
		return past.DriftHistoryAt(model, to.Sub(from), steps, to)
	}
	c.driftMu.Lock()
	m, ok := c.drift[key]
	c.driftMu.Unlock()
	if ok && now.Sub(m.at) < keep {
		return m.h, nil
	}
	h, err := c.opts.Drift.DriftHistory(model, now.Sub(from), steps)
	if err != nil {
		return h, err
	}
	c.driftMu.Lock()
	defer c.driftMu.Unlock()
	for k, old := range c.drift {
		if now.Sub(old.at) >= keep {
			delete(c.drift, k)
		}
	}
	c.drift[key] = driftMemo{at: now, h: h}
	return h, nil
}

// compact drops the steps that hold no score.
func compact(byVersion map[string][][]driftStep) map[string][][]driftStep {
	for v, steps := range byVersion {
		kept := steps[:0]
		for _, s := range steps {
			if len(s) > 0 {
				kept = append(kept, s)
			}
		}
		byVersion[v] = kept
	}
	return byVersion
}
