// Package drifthistory computes one model's drift over a range for the
// drift screen: the configured feature histogram queries, narrowed to the
// model, sent as range queries with a step that fits the screen, each step
// judged against the version's reference as the poller judges the present.
package drifthistory

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/merge"
	"github.com/mltop/mltop/internal/narrow"
	"github.com/mltop/mltop/internal/poll"
)

// Source answers both the instant queries of the reference window and the
// range queries of the current one.
type Source interface {
	poll.MetricsSource
	history.RangeQuerier
}

// Options configure a Provider.
type Options struct {
	// Drift is how each step is judged: the poller's drift options.
	Drift histdrift.Options
	// MinStep is the finest step worth asking for (the scrape interval).
	MinStep time.Duration
	// Timeout bounds one call; default 10s.
	Timeout time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Registry returns the latest registry read, whose version tags hold
	// the reference profiles; nil: no registry profiles.
	Registry func() *fleet.Registry
	// Latest returns the latest snapshot, which says a registered model's
	// metrics label when the registry join mapped a serving name; nil: the
	// registered name is the label.
	Latest func() (fleet.Snapshot, bool)
}

// Provider computes drift over time. Its DriftHistory is what the UI's
// DriftHistoryProvider asks for.
type Provider struct {
	src   Source
	exprs map[fleet.Role]string // the histogram roles' configured queries
	opts  Options
}

// New returns nil when src cannot answer range queries or no feature
// histogram role is among queries.
func New(src poll.MetricsSource, queries []poll.Query, opts Options) *Provider {
	ds, ok := src.(Source)
	if !ok {
		return nil
	}
	exprs := map[fleet.Role]string{}
	for _, q := range queries {
		if fleet.IsHistogramRole(q.Role) {
			exprs[q.Role] = q.Expr
		}
	}
	if exprs[fleet.RoleFeatureBuckets] == "" && exprs[fleet.RoleFeatureCategories] == "" {
		return nil
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	return &Provider{src: ds, exprs: exprs, opts: opts}
}

// maxSteps bounds the steps judged per call; a screen is never wider.
const maxSteps = 2000

// DriftHistory returns the drift of every version and feature of the model
// (its registered name) over rng, in about width steps.
func (h *Provider) DriftHistory(modelName string, rng time.Duration, width int) (fleet.DriftHistory, error) {
	return h.DriftHistoryAt(modelName, rng, width, h.opts.Now())
}

// DriftHistoryAt is DriftHistory over the range ending at now (a past time
// when looking back).
func (h *Provider) DriftHistoryAt(modelName string, rng time.Duration, width int, now time.Time) (fleet.DriftHistory, error) {
	if modelName == "" || rng <= 0 {
		return fleet.DriftHistory{}, fmt.Errorf("drift history: model %q, range %s", modelName, rng)
	}
	label := h.servingName(modelName)
	step := history.StepFor(rng, min(width, maxSteps), h.opts.MinStep)
	n := max(int(rng/step), 1)
	end := now.Truncate(step)
	start := end.Add(-time.Duration(n-1) * step)
	ctx, cancel := context.WithTimeout(context.Background(), h.opts.Timeout)
	defer cancel()

	exprs := map[fleet.Role]string{}
	for role, e := range h.exprs {
		narrowed, err := narrow.ToModel(e, label)
		if err != nil {
			return fleet.DriftHistory{}, fmt.Errorf("drift history of %s: query %s: %w", modelName, role, err)
		}
		exprs[role] = narrowed
	}
	var cur [2]model.Matrix
	roles := [2]fleet.Role{fleet.RoleFeatureBuckets, fleet.RoleFeatureCategories}
	for i, role := range roles {
		if exprs[role] == "" {
			continue
		}
		m, _, err := h.src.QueryRange(ctx, exprs[role], start, end, step)
		if err != nil {
			return fleet.DriftHistory{}, fmt.Errorf("drift history of %s: query %s: %w", modelName, role, err)
		}
		cur[i] = m
	}
	in := histdrift.Input{Profiles: h.profiles(modelName, label)}
	// The offset reference once, at the newest step: a window that ended
	// days ago moves little over the range shown.
	for _, ref := range []struct {
		role fleet.Role
		dst  **labelrows.Table
	}{{fleet.RoleFeatureBucketsRef, &in.BucketsRef}, {fleet.RoleFeatureCategoriesRef, &in.CategoriesRef}} {
		if exprs[ref.role] == "" {
			continue
		}
		t, _, err := poll.QueryTable(ctx, h.src, exprs[ref.role], end, merge.TableColumns(ref.role))
		if err != nil {
			return fleet.DriftHistory{}, fmt.Errorf("drift history of %s: query %s: %w", modelName, ref.role, err)
		}
		*ref.dst = t
	}

	calc := histdrift.New(h.opts.Drift)
	series := map[seriesID]*fleet.DriftSeries{}
	for i := range n {
		at := model.TimeFromUnixNano(start.Add(time.Duration(i) * step).UnixNano())
		in.Buckets = tableAt(cur[0], at, merge.TableColumns(roles[0]))
		in.Categories = tableAt(cur[1], at, merge.TableColumns(roles[1]))
		for vk, r := range calc.Compute(in) {
			if vk.Model != label {
				continue
			}
			for _, f := range r.Features {
				record(series, vk.Version, f, i, n)
			}
			if r.Prediction != nil {
				record(series, vk.Version, *r.Prediction, i, n)
			}
		}
	}
	out := fleet.DriftHistory{Model: modelName, Range: rng, Step: step, End: end}
	for _, s := range series {
		out.Series = append(out.Series, *s)
	}
	sort.Slice(out.Series, func(i, j int) bool {
		a, b := out.Series[i], out.Series[j]
		if a.Version != b.Version {
			return fleet.CompareVersions(a.Version, b.Version) < 0
		}
		if a.Feature != b.Feature {
			return a.Feature < b.Feature
		}
		return a.Method < b.Method
	})
	return out, nil
}
