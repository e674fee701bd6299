package events

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/narrow"
)

// firingAlerts is the series a Prometheus rule evaluator keeps for every
// alert while it fires.
const firingAlerts = `ALERTS{alertstate="firing"}`

// rangeOf narrows expr to the model and asks for it over [from, to] at a
// step that places an event within a column of a wide graph.
func (c *Collector) rangeOf(ctx context.Context, expr, model string, from, to time.Time) (model.Matrix, time.Duration, error) {
	q, err := narrow.ToModel(expr, c.opts.MetricsName(model))
	if err != nil {
		return nil, 0, fmt.Errorf("narrow %q to %s: %w", expr, model, err)
	}
	step := history.StepFor(to.Sub(from), steps, c.opts.MinStep)
	m, _, err := c.opts.Metrics.QueryRange(ctx, q, from, to, step)
	if err != nil {
		return nil, 0, fmt.Errorf("range query %s: %w", q, err)
	}
	return m, step, nil
}

// rolloutSteps are the moments the rollout's step changed value.
func (c *Collector) rolloutSteps(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error) {
	m, _, err := c.rangeOf(ctx, c.opts.RolloutStep, model, from, to)
	if err != nil {
		return nil, err
	}
	var out []fleet.Event
	for _, s := range m {
		for i := 1; i < len(s.Values); i++ {
			prev, cur := float64(s.Values[i-1].Value), float64(s.Values[i].Value)
			if prev == cur || math.IsNaN(cur) {
				continue
			}
			out = append(out, fleet.Event{Time: s.Values[i].Timestamp.Time(), Kind: fleet.EventRolloutStep,
				Text: "rollout step " + stepText(prev) + " → " + stepText(cur)})
		}
	}
	return out, nil
}

func stepText(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// alerts are the moments an alert on the model began firing: its series'
// first sample, and each return after a gap of more than a step.
func (c *Collector) alerts(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error) {
	m, step, err := c.rangeOf(ctx, firingAlerts, model, from, to)
	if err != nil {
		return nil, err
	}
	var out []fleet.Event
	for _, s := range m {
		name := clean(string(s.Metric["alertname"]))
		if name == "" {
			name = "alert"
		}
		version := clean(string(s.Metric["version"]))
		for i, p := range s.Values {
			t := p.Timestamp.Time()
			if i == 0 && !t.After(from) {
				continue // already firing when the range begins
			}
			if i > 0 && t.Sub(s.Values[i-1].Timestamp.Time()) <= step {
				continue
			}
			text := name + " firing"
			if version != "" {
				text = name + " firing on v" + version
			}
			out = append(out, fleet.Event{Time: t, Kind: fleet.EventAlert, Version: version, Text: text})
		}
	}
	return out, nil
}
