package alerts

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/neterr"
)

// amAlert is one alert of GET /api/v2/alerts.
type amAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	StartsAt    string            `json:"startsAt"`
	Status      struct {
		State       string   `json:"state"` // active, suppressed, unprocessed
		SilencedBy  []string `json:"silencedBy"`
		InhibitedBy []string `json:"inhibitedBy"`
	} `json:"status"`
}

// amSilence is one silence of GET /api/v2/silences.
type amSilence struct {
	ID        string `json:"id"`
	CreatedBy string `json:"createdBy"`
	Comment   string `json:"comment"`
	EndsAt    string `json:"endsAt"`
}

// maxRefs bounds the silences and inhibitors kept per alert.
const maxRefs = 16

// alertmanager reads Alertmanager's alerts (active, suppressed and not yet
// processed; resolved ones are not listed) and, when one is silenced, the
// silences, to name their author and comment.
func (r *Reader) alertmanager(ctx context.Context) ([]fleet.Alert, []string, error) {
	body, err := r.get(ctx, "/api/v2/alerts")
	if err != nil {
		return nil, nil, err
	}
	var ans []amAlert
	if err := json.Unmarshal(body, &ans); err != nil {
		return nil, nil, fmt.Errorf("the answer of /api/v2/alerts is not Alertmanager's JSON: %w", err)
	}
	var warnings []string
	if len(ans) > maxAlerts {
		warnings = append(warnings, fmt.Sprintf("more than %d alerts: the rest are not shown", maxAlerts))
	}
	ans = ans[:min(len(ans), maxAlerts)]
	out := make([]fleet.Alert, 0, len(ans))
	silenced := false
	for _, a := range ans {
		state := fleet.AlertFiring // active, or unprocessed: firing, not yet routed
		if a.Status.State == "suppressed" {
			state = fleet.AlertSuppressed
		}
		al := alertOf(a.Labels, a.Annotations, state, parseTime(a.StartsAt))
		for _, id := range a.Status.SilencedBy[:min(len(a.Status.SilencedBy), maxRefs)] {
			al.SilencedBy = append(al.SilencedBy, fleet.Silence{ID: text(id, maxShortText)})
			silenced = true
		}
		for _, id := range a.Status.InhibitedBy[:min(len(a.Status.InhibitedBy), maxRefs)] {
			al.InhibitedBy = append(al.InhibitedBy, text(id, maxShortText))
		}
		out = append(out, al)
	}
	if !silenced {
		return out, warnings, nil
	}
	// Without the silences an alert still says it is silenced, by id: the
	// read has not failed for want of who and why, and a warning says so.
	sil, err := r.silences(ctx)
	if err != nil {
		return out, append(warnings, "silences not read: "+neterr.Plain(err, r.timeout)), nil
	}
	for i := range out {
		for k := range out[i].SilencedBy {
			if s, ok := sil[out[i].SilencedBy[k].ID]; ok {
				out[i].SilencedBy[k] = s
			}
		}
	}
	return out, warnings, nil
}

// silences reads every silence, by id.
func (r *Reader) silences(ctx context.Context) (map[string]fleet.Silence, error) {
	body, err := r.get(ctx, "/api/v2/silences")
	if err != nil {
		return nil, err
	}
	var ans []amSilence
	if err := json.Unmarshal(body, &ans); err != nil {
		return nil, fmt.Errorf("the answer of /api/v2/silences is not Alertmanager's JSON: %w", err)
	}
	out := make(map[string]fleet.Silence, len(ans))
	for _, s := range ans {
		id := text(s.ID, maxShortText)
		out[id] = fleet.Silence{ID: id, Author: text(s.CreatedBy, maxShortText), Comment: text(s.Comment, maxText), Ends: parseTime(s.EndsAt)}
	}
	return out, nil
}
