package events

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
)

// actions are mltop's own actions on the model: one event per action, at
// its newest record in the range, saying how it ended (or that it is
// still in flight).
func (c *Collector) actions(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error) {
	latest := map[string]audit.Record{}
	var order []string
	_, err := c.opts.Audit.Scan(func(r audit.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if r.Model != model || r.Time.Before(from) || r.Time.After(to) {
			return nil
		}
		if _, seen := latest[r.ID]; !seen {
			order = append(order, r.ID)
		}
		latest[r.ID] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("actions on %s: %w", model, err)
	}
	sort.SliceStable(order, func(i, j int) bool { return latest[order[i]].Time.Before(latest[order[j]].Time) })
	out := make([]fleet.Event, 0, len(order))
	for _, id := range order {
		r := latest[id]
		text := clean(r.Action)
		if r.Title != "" && r.Title != r.Action {
			text = clean(r.Title)
		}
		if r.Actor.User != "" {
			text += " by " + clean(r.Actor.User)
		}
		text += ": " + string(r.State)
		out = append(out, fleet.Event{Time: r.Time, Kind: fleet.EventAction, Version: clean(r.After["version"]), Text: text})
	}
	return out, nil
}
