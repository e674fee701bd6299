package rules

import (
	"errors"
	"fmt"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/judge"
	"github.com/prometheus/prometheus/model/labels"
)

// Alert names. They are part of the interface: Alertmanager routes,
// inhibitions and silences name them, so they do not change.
const (
	AlertErrorRatio  = "MLTopErrorRatioHigh"
	AlertLatencySLO  = "MLTopLatencySLOBreached"
	AlertSilent      = "MLTopModelSilent"
	AlertBurnRate    = "MLTopErrorBudgetBurn"
	AlertQualityDrop = "MLTopQualityDrop"
	AlertLabelsOld   = "MLTopLabelsOld"
	AlertDrift       = "MLTopFeatureDrift"
	AlertRollout     = "MLTopRolloutFailed"
)

// who names a version in an annotation the way the dashboard does:
// "credit-risk v12", or the model alone when the exporter has no version.
const who = `{{ $labels.model }}{{ with $labels.version }} v{{ . }}{{ end }}`

// Multiwindow, multi-burn-rate alerting (Google's SRE workbook, "Alerting on
// SLOs"): a page when the last hour and the last 5 minutes both burn the
// error budget 14.4 times faster than it lasts (2 % of a 30-day budget in an
// hour), a ticket when 6 hours and 30 minutes both burn it 6 times faster
// (5 % in 6 hours). The short window ends the alert soon after the burning
// stops.
var burnRates = []struct {
	severity    string
	long, short time.Duration
	factor      float64
	forDur      time.Duration
}{
	{Critical, time.Hour, 5 * time.Minute, judge.BurnPage, 2 * time.Minute},
	{Warning, 6 * time.Hour, 30 * time.Minute, judge.BurnTicket, 15 * time.Minute},
}

func (g *gen) errorRatio() []Rule {
	t := g.cfg.Thresholds.ErrorRate
	er, ok := g.roles["error_ratio"]
	switch {
	case t <= 0:
		return []Rule{leftOut(AlertErrorRatio, "", "thresholds.error_rate is 0 (off)")}
	case !ok:
		return []Rule{leftOut(AlertErrorRatio, "", missingRole("error_ratio"))}
	}
	window := config.FormatDuration(g.cfg.Window)
	hold := g.hold(5 * time.Minute)
	rule := func(severity string, at float64, why string) Rule {
		return Rule{
			Alert: AlertErrorRatio, Expr: "(" + er + ") >= " + num(at), For: hold,
			Labels: map[string]string{"severity": severity},
			Annotations: map[string]string{
				"summary":     who + ": error ratio {{ $value | humanizePercentage }} ≥ " + pct(at),
				"description": fmt.Sprintf("The share of failed predictions over the last %s has been at or above %s (%s) for %s.", window, pct(at), why, hold),
			},
		}
	}
	return []Rule{
		rule(Critical, t, "thresholds.error_rate"),
		rule(Warning, t*judge.ErrorWarnShare, "half of thresholds.error_rate, an early warning"),
	}
}

func (g *gen) latency() []Rule {
	bound := g.cfg.Thresholds.LatencyP95
	if bound <= 0 {
		return []Rule{leftOut(AlertLatencySLO, "", "thresholds.latency_p95 is 0 (off)")}
	}
	p95, ok := g.roles["latency_p95"]
	if !ok {
		return []Rule{leftOut(AlertLatencySLO, "", missingRole("latency_p95")+": the objective needs its latency histogram")}
	}
	buckets, ok := histogramOf(p95)
	if !ok {
		return []Rule{leftOut(AlertLatencySLO, "", "role latency_p95 is not histogram_quantile over a latency histogram's buckets")}
	}
	under, err1 := withMatchers(buckets, mustMatcher(labels.MatchRegexp, "le", leRegex(bound.Seconds())))
	all, err2 := withMatchers(buckets, mustMatcher(labels.MatchEqual, "le", "+Inf"))
	if err1 != nil || err2 != nil {
		return []Rule{leftOut(AlertLatencySLO, "", "role latency_p95 has no series selector for its buckets")}
	}
	b := config.FormatDuration(bound)
	window := config.FormatDuration(g.cfg.Window)
	hold := g.hold(5 * time.Minute)
	return []Rule{{
		Alert: AlertLatencySLO,
		Expr:  "(1 - sum by (model, version) (" + under + ") / sum by (model, version) (" + all + ")) > " + num(judge.LatencySlowShare),
		For:   hold, Labels: map[string]string{"severity": Warning},
		Annotations: map[string]string{
			"summary": who + ": {{ $value | humanizePercentage }} of requests slower than " + b + " (objective: at most " + pct(judge.LatencySlowShare) + ")",
			"description": fmt.Sprintf("More than %s of the requests of the last %s took longer than thresholds.latency_p95 (%s), for %s: the 95th percentile is above the objective. %s must be a bucket bound of the latency histogram.",
				pct(judge.LatencySlowShare), window, b, hold, b),
		},
	}}
}

func (g *gen) silent() []Rule {
	share := g.cfg.Thresholds.SilentShare
	if share <= 0 {
		return []Rule{leftOut(AlertSilent, "", "thresholds.silent_share is 0 (off)")}
	}
	rr, ok := g.roles["request_rate"]
	if !ok {
		return []Rule{leftOut(AlertSilent, "", missingRole("request_rate"))}
	}
	var out []Rule
	window := config.FormatDuration(g.cfg.Window)
	now := "sum by (model) (" + rr + ")"
	if lastWeek, err := shifted(rr, 7*24*time.Hour); err != nil {
		out = append(out, leftOut(AlertSilent, Warning, "role request_rate cannot be read a week back: "+err.Error()))
	} else {
		week := "sum by (model) (" + lastWeek + ")"
		hold := g.hold(15 * time.Minute)
		out = append(out, Rule{
			Alert: AlertSilent, Expr: "((" + now + ") or 0 * (" + week + ")) / (" + week + ") < " + num(share), For: hold,
			Labels: map[string]string{"severity": Warning},
			Annotations: map[string]string{
				"summary":     "{{ $labels.model }}: request rate {{ $value | humanizePercentage }} of the same time last week (below " + pct(share) + ")",
				"description": fmt.Sprintf("The model's request rate over the last %s, all versions together, has been below thresholds.silent_share (%s) of its rate at the same time a week ago for %s.", window, pct(share), hold),
			},
		})
	}
	hour, varies, err := g.roleAt("request_rate", time.Hour)
	switch {
	case g.cfg.Window >= time.Hour:
		out = append(out, leftOut(AlertSilent, Critical, "window is "+window+", not shorter than the hour the model must have served in"))
	case err != nil:
		out = append(out, leftOut(AlertSilent, Critical, err.Error()))
	case !varies:
		out = append(out, leftOut(AlertSilent, Critical, "role request_rate does not use {{window}}, so it cannot be read over the last hour"))
	default:
		hold := g.hold(5 * time.Minute)
		out = append(out, Rule{
			Alert: AlertSilent, Expr: "(sum by (model) (" + hour + ") > 0) unless (" + now + " > 0)", For: hold,
			Labels: map[string]string{"severity": Critical},
			Annotations: map[string]string{
				"summary":     "{{ $labels.model }}: no requests in the last " + window + `, after {{ printf "%.3g" $value }} requests/s over the last hour`,
				"description": fmt.Sprintf("The model, all versions together, served requests within the last hour but none over the last %s, for %s: it stopped (or its metrics did).", window, hold),
			},
		})
	}
	return out
}

func (g *gen) burnRate() []Rule {
	a := g.cfg.Thresholds.Availability
	if a <= 0 {
		return []Rule{leftOut(AlertBurnRate, "", "thresholds.availability is 0 (off)")}
	}
	budget := num(1 - a)
	switch _, varies, err := g.roleAt("error_ratio", time.Hour); {
	case err != nil:
		return []Rule{leftOut(AlertBurnRate, "", err.Error())}
	case g.roles["error_ratio"] == "":
		return []Rule{leftOut(AlertBurnRate, "", missingRole("error_ratio"))}
	case !varies:
		return []Rule{leftOut(AlertBurnRate, "", "role error_ratio does not use {{window}}, so it cannot be read over several windows")}
	}
	var out []Rule
	for _, br := range burnRates {
		long, _, err1 := g.roleAt("error_ratio", br.long)
		short, _, err2 := g.roleAt("error_ratio", br.short)
		if err := errors.Join(err1, err2); err != nil {
			return []Rule{leftOut(AlertBurnRate, "", err.Error())}
		}
		l, s := config.FormatDuration(br.long), config.FormatDuration(br.short)
		f := num(br.factor)
		out = append(out, Rule{
			Alert: AlertBurnRate,
			Expr:  "((" + long + ") / " + budget + " > " + f + ") and ((" + short + ") / " + budget + " > " + f + ")",
			For:   g.hold(br.forDur), Labels: map[string]string{"severity": br.severity},
			Annotations: map[string]string{
				"summary": who + `: error budget burning {{ printf "%.1f" $value }}× over ` + l + " and over " + s + " (≥ " + f + "× for " + pct(a) + ")",
				"description": fmt.Sprintf("Errors over the last %s and the last %s both spend the error budget of thresholds.availability (%s) more than %s× as fast as it lasts; at %s× for %s, %s of a 30-day budget is gone.",
					l, s, pct(a), f, f, l, pct(br.factor*br.long.Hours()/(30*24))),
			},
		})
	}
	return out
}
