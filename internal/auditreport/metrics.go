package auditreport

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/narrow"
)

// alertsExpr is every firing alert of mltop's rules (`mltop rules`):
// Prometheus keeps one ALERTS series per firing alert, so its range is
// the alerts' history.
const alertsExpr = `ALERTS{alertname=~"MLTop.*",alertstate="firing"}`

// query narrows a role's expression to the --model, if any, by its name
// and every metrics name mapped to it.
func (b *builder) query(expr string) (string, error) {
	if b.opts.Model == "" {
		return expr, nil
	}
	names := []string{b.opts.Model}
	for serving, reg := range b.in.ModelNames {
		if reg == b.opts.Model {
			names = append(names, serving)
		}
	}
	if len(names) == 1 {
		return narrow.ToModel(expr, b.opts.Model)
	}
	return narrow.ToModels(expr, names)
}

// Over a step, the worst value of a series where higher is worse, and
// where lower is.
const (
	maxOver = "max_over_time"
	minOver = "min_over_time"
)

// cover makes each step's point of a range query of q stand for its whole
// interval: over, taken on q read at the scrape interval (MinStep) within
// the step (a subquery), so that a breach shorter than a step, between two
// steps, is not missed. The answer stays one point per step. When the step
// is no coarser than the scrape interval every sample is read already.
func (b *builder) cover(q, over string) string {
	if over == "" || !b.covering() {
		return q
	}
	res := ""
	if b.in.MinStep > 0 {
		res = promDuration(b.in.MinStep)
	}
	return over + "((" + q + ")[" + promDuration(b.step) + ":" + res + "])"
}

// covering says whether a step is coarser than the scrape interval, so
// that reading at each step alone would skip samples.
func (b *builder) covering() bool { return b.step > b.in.MinStep }

func promDuration(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) + "s" }

// worst reads expr's worst value in each step, series by series: the
// maximum over the step, or the minimum for a series where lower is worse
// (read only when there is one).
func (b *builder) worst(ctx context.Context, section, what, expr string, lowerIsWorse func(*model.SampleStream) bool) (model.Matrix, *Status) {
	mat, st := b.series(ctx, section, what, expr, maxOver, "")
	if (st != nil && st.Status == StatusUnknown) || !b.covering() || !slices.ContainsFunc(mat, lowerIsWorse) {
		return mat, st
	}
	lows, lst := b.series(ctx, section, what, expr, minOver, "")
	if lst != nil && lst.Status == StatusUnknown {
		return nil, lst
	}
	low := make(map[model.Fingerprint]*model.SampleStream, len(lows))
	for _, s := range lows {
		low[s.Metric.Fingerprint()] = s
	}
	for i, s := range mat {
		if lowerIsWorse(s) {
			// A series absent from the second answer has no point there.
			mat[i] = low[s.Metric.Fingerprint()]
		}
	}
	mat = slices.DeleteFunc(mat, func(s *model.SampleStream) bool { return s == nil })
	if st == nil {
		st = lst
	}
	return mat, st
}

// series reads one range query; a failure is the section's unknown status.
// over ("", maxOver or minOver) makes each point its step's worst (cover).
// filter, when set, is a comparison the whole expression is put under
// (">= 0.05"), so that the server sends only the points that matter.
func (b *builder) series(ctx context.Context, section, what, expr, over, filter string) (model.Matrix, *Status) {
	if b.in.Metrics == nil {
		st := unknown(section, or(b.in.MetricsMissing, "no Prometheus-compatible server is configured"))
		return nil, &st
	}
	if expr == "" {
		st := unknown(section, "the "+what+" query is not configured")
		return nil, &st
	}
	q, err := b.query(expr)
	if err != nil {
		st := unknown(section, fmt.Sprintf("the %s query cannot be narrowed to the model: %v", what, err))
		return nil, &st
	}
	q = b.cover(q, over)
	if filter != "" {
		q = "(" + q + ") " + filter
	}
	mat, warnings, err := b.rangeQuery(ctx, q)
	if err != nil {
		st := unknown(section, fmt.Sprintf("range query of %s: %s", what, b.plain(err)))
		return nil, &st
	}
	if len(warnings) > 0 {
		st := withWarnings(section, warnings, "")
		return mat, &st
	}
	return mat, nil
}

func label(s *model.SampleStream, name string) string { return string(s.Metric[model.LabelName(name)]) }

func (b *builder) alerts(ctx context.Context) Status {
	mat, st := b.series(ctx, SectionAlerts, "ALERTS", alertsExpr, maxOver, "")
	if st != nil && st.Status == StatusUnknown {
		return *st
	}
	n := 0
	for _, s := range mat {
		raw := label(s, "model")
		if raw == "" || !b.wanted(raw) {
			continue
		}
		m := b.model(raw)
		for _, e := range episodesOf(s.Values, b.step, b.opts.To, func(float64) (bool, float64) { return true, 0 }) {
			e.Peak = nil
			e.Name, e.Version = clean(label(s, "alertname")), clean(label(s, "version"))
			m.Alerts = append(m.Alerts, e)
			n++
		}
	}
	if st != nil {
		return *st
	}
	if n > 0 || b.in.Rules == nil {
		if n == 0 {
			return unknown(SectionAlerts, "no MLTop alert fired, and whether the rule evaluator has mltop's rules cannot be checked here")
		}
		return Status{Name: SectionAlerts, Status: StatusOK}
	}
	ctx, cancel := context.WithTimeout(ctx, b.in.Timeout)
	defer cancel()
	names, err := b.in.Rules.AlertRuleNames(ctx)
	if err != nil {
		return unknown(SectionAlerts, "no MLTop alert fired, and the rule evaluator's rules cannot be read: "+b.plain(err))
	}
	for _, name := range names {
		if strings.HasPrefix(name, "MLTop") {
			return Status{Name: SectionAlerts, Status: StatusOK,
				Detail: "no MLTop alert fired; the rule evaluator has mltop's rules now (whether it had them all along is not known)"}
		}
	}
	return unknown(SectionAlerts, "the rule evaluator has none of mltop's alerting rules (load `mltop rules`)")
}

func (b *builder) breaches(ctx context.Context) Status {
	thr := b.in.Judge.Thresholds.ErrorRate
	if !(thr > 0) {
		return unknown(SectionBreaches, "no error ratio threshold is set")
	}
	mat, st := b.series(ctx, SectionBreaches, "error_ratio", b.in.Queries[fleet.RoleErrorRatio], maxOver,
		">= "+strconv.FormatFloat(thr, 'g', -1, 64))
	if st != nil && st.Status == StatusUnknown {
		return *st
	}
	for _, s := range mat {
		raw := label(s, "model")
		if raw == "" || !b.wanted(raw) {
			continue
		}
		m := b.model(raw)
		for _, e := range episodesOf(s.Values, b.step, b.opts.To, func(v float64) (bool, float64) { return v >= thr, v }) {
			e.Name, e.Version, e.Threshold = "error_ratio", clean(label(s, "version")), &thr
			m.Breaches = append(m.Breaches, e)
		}
	}
	if st != nil {
		return *st
	}
	return Status{Name: SectionBreaches, Status: StatusOK, Detail: "error ratio at or over " + pct(thr)}
}

func (b *builder) drift(ctx context.Context) Status {
	mat, st := b.worst(ctx, SectionDrift, "drift_score", b.in.Queries[fleet.RoleDriftScore], func(s *model.SampleStream) bool {
		return drift.IsPValue(label(s, "method"))
	})
	if st != nil && st.Status == StatusUnknown {
		st.Detail += " (drift computed from feature histograms is not reported over long periods)"
		return *st
	}
	var unjudged []string
	for _, s := range mat {
		raw, method := label(s, "model"), label(s, "method")
		if raw == "" || !b.wanted(raw) {
			continue
		}
		thr, ok := b.in.Judge.DriftThreshold(method)
		if !ok {
			unjudged = append(unjudged, method)
			continue
		}
		m := b.model(raw)
		for _, e := range episodesOf(s.Values, b.step, b.opts.To, func(v float64) (bool, float64) {
			return drift.Drifted(method, v, thr), drift.Severity(method, v, thr)
		}) {
			e.Version, e.Name, e.Method, e.Threshold = clean(label(s, "version")), clean(label(s, "feature")), clean(method), &thr
			m.Drift = append(m.Drift, e)
		}
	}
	if st != nil {
		return *st
	}
	if len(unjudged) > 0 {
		slices.Sort(unjudged)
		return Status{Name: SectionDrift, Status: StatusPartial,
			Detail: clean("no threshold for method(s) " + strings.Join(slices.Compact(unjudged), ", ") + ": their scores are not judged")}
	}
	return Status{Name: SectionDrift, Status: StatusOK, Detail: "exported drift scores against the judge's thresholds"}
}

func (b *builder) quality(ctx context.Context) Status {
	if b.in.Current == nil {
		return unknown(SectionQuality, or(b.in.CurrentMissing, "the registry could not be read: no offline baselines to compare with"))
	}
	drop := b.in.Judge.Thresholds.QualityDrop
	if !(drop > 0) {
		return unknown(SectionQuality, "no quality drop threshold is set")
	}
	mat, st := b.worst(ctx, SectionQuality, "performance", b.in.Queries[fleet.RolePerformance], func(s *model.SampleStream) bool {
		return !judge.LowerIsBetter(label(s, "metric"))
	})
	if st != nil && st.Status == StatusUnknown {
		return *st
	}
	var missing []string
	for _, s := range mat {
		raw, version, metric := label(s, "model"), label(s, "version"), label(s, "metric")
		if raw == "" || !b.wanted(raw) {
			continue
		}
		base, ok := b.baseline(raw, version, metric)
		if !ok {
			missing = append(missing, fmt.Sprintf("%s v%s %s", raw, version, metric))
			continue
		}
		m := b.model(raw)
		for _, e := range episodesOf(s.Values, b.step, b.opts.To, func(v float64) (bool, float64) {
			d := judge.QualityDrop(metric, v, base)
			return d >= drop, d
		}) {
			e.Version, e.Name, e.Threshold, e.Baseline = clean(version), clean(metric), &drop, &base
			m.Quality = append(m.Quality, e)
		}
	}
	if st != nil {
		return *st
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return Status{Name: SectionQuality, Status: StatusPartial,
			Detail: clean(fmt.Sprintf("no offline baseline for %d series (%s): not judged", len(missing), strings.Join(firstN(missing, 5), ", ")))}
	}
	return Status{Name: SectionQuality, Status: StatusOK,
		Detail: fmt.Sprintf("live quality worse than the registry's baseline by %s or more (relative for error metrics)", pct(drop))}
}

// baseline is the version's offline metric from the registry read now.
func (b *builder) baseline(raw, version, metric string) (float64, bool) {
	name := raw
	if n, ok := b.in.ModelNames[raw]; ok {
		name = n
	}
	for _, m := range b.in.Current.Models {
		if m.Name != name {
			continue
		}
		for _, v := range m.Versions {
			if v.Version == version {
				x, ok := v.Baseline[metric]
				return x, ok && !math.IsNaN(x)
			}
		}
	}
	return 0, false
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], fmt.Sprintf("%d more", len(s)-n))
	}
	return s
}
