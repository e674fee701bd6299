package events

import (
	"context"
	"fmt"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
)

// maxText bounds a server's text in one event line.
const maxText = 60

// clean is a server's text made safe and short for one line.
func clean(s string) string { return human.Clip(termsafe.Clean(s), maxText) }

// deploys are each version's first traffic in the range, and its return
// after a pause (a rollback to it). A version already serving when the
// history begins has no deploy there: it came before. Nor does one whose
// traffic begins with the model's whole history (a server that started
// scraping inside the range): nothing says it was deployed then.
func (c *Collector) deploys(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error) {
	// Served's intervals are right when only its error-ratio or quality
	// query failed: they still place the deploys, and the error is named.
	served, err := c.opts.Served.Served(ctx, model, from, to)
	if err != nil {
		err = fmt.Errorf("served versions of %s: %w", model, err)
		if served == nil {
			return nil, err
		}
	}
	ivs, ok := served[model]
	if !ok {
		ivs = served[c.opts.MetricsName(model)]
	}
	var begins time.Time // the model's first traffic in the range
	for i, iv := range ivs {
		if i == 0 || iv.From.Before(begins) {
			begins = iv.From
		}
	}
	var out []fleet.Event
	seen := map[string]bool{}
	for _, iv := range ivs {
		v := clean(iv.Version)
		again := seen[v]
		seen[v] = true
		if !iv.From.After(from) || iv.From.Equal(begins) {
			continue
		}
		text := "v" + v + " took traffic"
		if again {
			text += " again"
		}
		out = append(out, fleet.Event{Time: iv.From, Kind: fleet.EventDeploy, Version: v, Text: text})
	}
	return out, err
}

// registryMoves are the alias and stage changes mltop saw.
func (c *Collector) registryMoves(_ context.Context, model string, from, to time.Time) ([]fleet.Event, error) {
	chs, err := c.opts.Registry.Changes(model, from)
	if err != nil {
		return nil, fmt.Errorf("registry changes of %s: %w", model, err)
	}
	var out []fleet.Event
	for _, ch := range chs {
		if ch.Model != "" && ch.Model != model {
			continue
		}
		f, t := clean(ch.From), clean(ch.To)
		if ch.Alias != "" {
			a := clean(ch.Alias)
			e := fleet.Event{Time: ch.Time, Kind: fleet.EventAlias, Version: t}
			switch {
			case t == "":
				e.Version, e.Text = f, "@"+a+" removed (was v"+f+")"
			case f == "":
				e.Text = "@" + a + " set to v" + t
			default:
				e.Text = "@" + a + " v" + f + " → v" + t
			}
			out = append(out, e)
			continue
		}
		v := clean(ch.Version)
		if f == "" {
			f = "none"
		}
		if t == "" {
			t = "none"
		}
		out = append(out, fleet.Event{Time: ch.Time, Kind: fleet.EventStage, Version: v, Text: "v" + v + " " + f + " → " + t})
	}
	return out, nil
}
