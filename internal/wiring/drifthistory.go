package wiring

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/poll"
)

// driftSource answers both the instant queries of the reference window and
// the range queries of the current one.
type driftSource interface {
	poll.MetricsSource
	history.RangeQuerier
}

type driftHistoryOptions struct {
	drift   histdrift.Options
	minStep time.Duration
	timeout time.Duration
	now     func() time.Time // default time.Now
}

// DriftHistoryProvider computes one model's drift over a range for the
// drift screen: the feature histogram queries, narrowed to the model, as
// range queries with a step that fits the screen, each step judged against
// the version's reference. It implements the UI's DriftHistoryProvider.
type DriftHistoryProvider struct {
	src   driftSource
	exprs map[fleet.Role]string // the histogram roles' configured queries
	opts  driftHistoryOptions
	// registry returns the latest registry read (for reference profiles);
	// servingName the metrics' model label of a registered model.
	registry    func() *fleet.Registry
	servingName func(model string) string
}

// newDriftHistory returns nil when src cannot answer range queries or no
// feature histogram role is configured.
func newDriftHistory(src poll.MetricsSource, queries []poll.Query, opts driftHistoryOptions) *DriftHistoryProvider {
	ds, ok := src.(driftSource)
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
	if opts.now == nil {
		opts.now = time.Now
	}
	if opts.timeout <= 0 {
		opts.timeout = 10 * time.Second
	}
	return &DriftHistoryProvider{src: ds, exprs: exprs, opts: opts}
}

// maxDriftSteps bounds the steps judged per call; a screen is never wider.
const maxDriftSteps = 2000

// DriftHistory returns the drift of every version and feature of the model
// (its registered name) over rng, in about width steps.
func (h *DriftHistoryProvider) DriftHistory(modelName string, rng time.Duration, width int) (fleet.DriftHistory, error) {
	if modelName == "" || rng <= 0 {
		return fleet.DriftHistory{}, fmt.Errorf("drift history: model %q, range %s", modelName, rng)
	}
	label := modelName
	if h.servingName != nil {
		label = h.servingName(modelName)
	}
	step := history.StepFor(rng, min(width, maxDriftSteps), h.opts.minStep)
	n := max(int(rng/step), 1)
	end := h.opts.now().Truncate(step)
	start := end.Add(-time.Duration(n-1) * step)
	ctx, cancel := context.WithTimeout(context.Background(), h.opts.timeout)
	defer cancel()

	exprs := map[fleet.Role]string{}
	for role, e := range h.exprs {
		narrowed, err := withModel(e, label)
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
		t, _, err := poll.QueryTable(ctx, h.src, exprs[ref.role], end, poll.TableColumns(ref.role))
		if err != nil {
			return fleet.DriftHistory{}, fmt.Errorf("drift history of %s: query %s: %w", modelName, ref.role, err)
		}
		*ref.dst = t
	}

	calc := histdrift.New(h.opts.drift)
	series := map[seriesID]*fleet.DriftSeries{}
	for i := range n {
		at := model.TimeFromUnixNano(start.Add(time.Duration(i) * step).UnixNano())
		in.Buckets = tableAt(cur[0], at, poll.TableColumns(roles[0]))
		in.Categories = tableAt(cur[1], at, poll.TableColumns(roles[1]))
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

// seriesID keys a score series: a method change (categories crossing two
// values under auto) starts a new series rather than mixing scales.
type seriesID struct{ version, feature, method string }

func record(series map[seriesID]*fleet.DriftSeries, version string, f fleet.FeatureDrift, i, n int) {
	id := seriesID{version, f.Feature, f.Method}
	s := series[id]
	if s == nil {
		s = &fleet.DriftSeries{Version: version, Feature: f.Feature, Method: f.Method, Scores: make([]float64, n)}
		for j := range s.Scores {
			s.Scores[j] = math.NaN()
		}
		series[id] = s
	}
	if f.Threshold != nil {
		s.Threshold = *f.Threshold
	}
	s.Scores[i] = f.Score
}

// tableAt takes each series' value at one step, as an instant query at
// that time would have returned it.
func tableAt(m model.Matrix, at model.Time, cols []string) *labelrows.Table {
	b := labelrows.NewBuilder(cols, len(m))
	row := make([]uint32, len(cols))
	for _, s := range m {
		i := sort.Search(len(s.Values), func(i int) bool { return s.Values[i].Timestamp >= at })
		if i == len(s.Values) || s.Values[i].Timestamp != at {
			continue
		}
		for c, l := range cols {
			row[c] = b.Intern(string(s.Metric[model.LabelName(l)]))
		}
		b.Add(row, float64(s.Values[i].Value))
	}
	return b.Table()
}

// profiles are the registry's reference profiles of the model's versions,
// keyed by the metrics' label.
func (h *DriftHistoryProvider) profiles(registered, label string) map[histdrift.VersionKey]string {
	if h.registry == nil {
		return nil
	}
	reg := h.registry()
	if reg == nil {
		return nil
	}
	out := map[histdrift.VersionKey]string{}
	for i := range reg.Models {
		rm := &reg.Models[i]
		if rm.Name != registered {
			continue
		}
		for _, v := range rm.Versions {
			if tag, ok := v.Tags[histdrift.TagKey]; ok {
				out[histdrift.VersionKey{Model: label, Version: v.Version}] = tag
			}
		}
		break
	}
	return out
}

// servingNameFrom looks a registered model's metrics label up in the latest
// snapshot: it differs when the registry join mapped a serving name.
func servingNameFrom(hub *poll.Hub) func(string) string {
	return func(name string) string {
		snap, ok := hub.Latest()
		if !ok {
			return name
		}
		for i := range snap.Models {
			if m := &snap.Models[i]; m.Name == name && m.ServingName != "" {
				return m.ServingName
			}
		}
		return name
	}
}

var promqlParser = parser.NewParser(parser.Options{EnableExperimentalFunctions: true})

// withModel narrows expr to one model by adding model="NAME" to every
// series selector.
func withModel(expr, name string) (string, error) {
	return narrow(expr, map[string]string{"model": name})
}

// narrow adds an equality matcher per label to every series selector of
// expr. The matchers are built as values, not pasted into the text, so a
// value with quotes or backslashes cannot change the query.
func narrow(expr string, equal map[string]string) (string, error) {
	e, err := promqlParser.ParseExpr(expr)
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(equal))
	for k := range equal {
		names = append(names, k)
	}
	sort.Strings(names)
	var ms []*labels.Matcher
	for _, k := range names {
		m, err := labels.NewMatcher(labels.MatchEqual, k, equal[k])
		if err != nil {
			return "", err
		}
		ms = append(ms, m)
	}
	found := false
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			vs.LabelMatchers = append(vs.LabelMatchers, ms...)
			found = true
		}
		return nil
	})
	if !found {
		return "", errors.New("no series selector to narrow")
	}
	return e.String(), nil
}
