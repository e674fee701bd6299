package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/judge"
	"github.com/prometheus/prometheus/model/labels"
)

// OfflineMetric is the gauge an exporter (or `mltop --metrics-listen`)
// publishes with a version's offline quality, labelled model, version and
// metric: the baseline the quality rule compares live quality with.
const OfflineMetric = "model_offline_performance"

// qualityDrop compares live quality (role performance) with the offline
// baseline as internal/judge does: a drop of quality_drop warns and twice it
// is critical, absolute for bounded scores and relative for error metrics;
// on fewer labels than min_labels a drop only warns.
func (g *gen) qualityDrop() []Rule {
	qd := g.cfg.Thresholds.QualityDrop
	live, ok := g.roles["performance"]
	switch {
	case qd <= 0:
		return []Rule{leftOut(AlertQualityDrop, "", "thresholds.quality_drop is 0 (off)")}
	case !ok:
		return []Rule{leftOut(AlertQualityDrop, "", missingRole("performance"))}
	}
	lower := anyOf(judge.LowerIsBetterMetrics())
	liveB, err1 := withMatchers(live, mustMatcher(labels.MatchNotRegexp, "metric", lower))
	liveL, err2 := withMatchers(live, mustMatcher(labels.MatchRegexp, "metric", lower))
	if err1 != nil || err2 != nil {
		why := "role performance has no series selector to tell bounded scores from error metrics"
		return []Rule{leftOut(AlertQualityDrop, "", why)}
	}
	offB := `max by (model, version, metric) (` + OfflineMetric + `{metric!~"` + lower + `"})`
	offL := `max by (model, version, metric) (` + OfflineMetric + `{metric=~"` + lower + `"})`
	// The value is the live figure, so the summary reads as the dashboard's
	// finding: "auc 0.81 vs offline 0.86".
	expr := func(drop float64) string {
		d := num(drop)
		return "((" + liveB + ") and on (model, version, metric) (" + offB + " - on (model, version, metric) (" + liveB + ") >= " + d + "))" +
			" or ((" + liveL + ") and on (model, version, metric) (((" + liveL + ") - on (model, version, metric) " + offL + ") / on (model, version, metric) abs(" + offL + " != 0) >= " + d + "))"
	}
	summary := who + `: {{ $labels.metric }} {{ printf "%.3g" $value }} vs offline ` +
		`{{ with printf "max(` + OfflineMetric + `{model=%q,version=%q,metric=%q})" $labels.model $labels.version $labels.metric | query }}{{ . | first | value | printf "%.3g" }}{{ end }}`
	hold := g.hold(15 * time.Minute)
	describe := func(drop float64, why string) string {
		return fmt.Sprintf("Live quality has been worse than the version's offline baseline (%s) for %s: by %s or more for a bounded score (accuracy, AUC), by %s or more for an error metric (RMSE, MAE); %s.",
			OfflineMetric, hold, num(drop), pct(drop), why)
	}
	crit := expr(judge.QualityCriticalFactor * qd)
	if least := g.cfg.Thresholds.MinLabels; least > 0 {
		if n, ok := g.roles["labels_in_window"]; ok {
			// Too few labels to tell a drop from noise: the judge warns, never pages.
			crit = "(" + crit + ") unless on (model, version) ((" + n + ") < " + fmt.Sprint(least) + ")"
		}
	}
	return []Rule{
		{Alert: AlertQualityDrop, Expr: crit, For: hold, Labels: map[string]string{"severity": Critical},
			Annotations: map[string]string{"summary": summary, "description": describe(judge.QualityCriticalFactor*qd, "twice thresholds.quality_drop, on at least thresholds.min_labels labels")}},
		{Alert: AlertQualityDrop, Expr: expr(qd), For: hold, Labels: map[string]string{"severity": Warning},
			Annotations: map[string]string{"summary": summary, "description": describe(qd, "thresholds.quality_drop")}},
	}
}

func (g *gen) labelAge() []Rule {
	t := g.cfg.Thresholds.LabelAge
	age, ok := g.roles["label_age"]
	switch {
	case t <= 0:
		return []Rule{leftOut(AlertLabelsOld, "", "thresholds.label_age is 0 (off)")}
	case !ok:
		return []Rule{leftOut(AlertLabelsOld, "", missingRole("label_age"))}
	}
	d := hours(t)
	return []Rule{{
		Alert: AlertLabelsOld, Expr: "(" + age + ") > " + num(t.Seconds()), For: g.hold(10 * time.Minute),
		Labels: map[string]string{"severity": Warning},
		Annotations: map[string]string{
			"summary":     who + ": newest label {{ $value | humanizeDuration }} old > " + d,
			"description": "No ground-truth label has arrived for longer than thresholds.label_age (" + d + "): live quality is not current.",
		},
	}}
}

// drift judges exported scores (role drift_score) per method as
// internal/judge does: the configured threshold, else Evidently's default;
// p-value methods drift below it, distances at or above it.
func (g *gen) drift() []Rule {
	ds, ok := g.roles["drift_score"]
	if !ok {
		return []Rule{leftOut(AlertDrift, "", missingRole("drift_score"))}
	}
	var parts, shown []string
	for _, m := range drift.Methods() {
		thr, ok := g.judge.Threshold(m)
		if !ok {
			continue
		}
		sel, err := withMatchers(ds, mustMatcher(labels.MatchRegexp, "method", anyOf(drift.Spellings(m))))
		if err != nil {
			return []Rule{leftOut(AlertDrift, "", "role drift_score has no series selector to match methods on")}
		}
		op, word := ">=", "≥"
		if drift.IsPValue(m) {
			op, word = "<", "<"
		}
		parts = append(parts, "("+sel+") "+op+" "+num(thr))
		shown = append(shown, m+" "+word+" "+num(thr))
	}
	slices.Sort(shown)
	hold := g.hold(15 * time.Minute)
	return []Rule{{
		Alert: AlertDrift, Expr: strings.Join(parts, " or "), For: hold,
		Labels: map[string]string{"severity": Warning},
		Annotations: map[string]string{
			"summary":     who + `: drift in {{ $labels.feature }} ({{ $labels.method }} {{ printf "%.3g" $value }})`,
			"description": "An exported drift score (model_drift_score) has passed its method's threshold (drift.thresholds, else Evidently's default) for " + hold + ": " + strings.Join(shown, ", ") + ".",
		},
	}}
}

func (g *gen) rollout() []Rule {
	ri, ok := g.roles["rollout_info"]
	if !ok {
		return []Rule{leftOut(AlertRollout, "", missingRole("rollout_info"))}
	}
	hold := g.hold(time.Minute)
	return []Rule{{
		Alert: AlertRollout, Expr: onlyValues(ri, "phase", "Degraded", "Aborted"), For: hold,
		Labels: map[string]string{"severity": Critical},
		Annotations: map[string]string{
			"summary":     "{{ $labels.model }}: rollout {{ $labels.phase }}",
			"description": "The model's rollout has been {{ $labels.phase }} for " + hold + ": the rollout controller gave up on the new version or it failed its analysis.",
		},
	}}
}

// hours writes a duration as the dashboard writes label ages: 48h, 90m, 45s.
func hours(d time.Duration) string {
	switch {
	case d >= 3*time.Hour:
		return fmt.Sprintf("%.0fh", d.Hours())
	case d >= 2*time.Minute:
		return fmt.Sprintf("%.0fm", d.Minutes())
	}
	return fmt.Sprintf("%.0fs", d.Seconds())
}
