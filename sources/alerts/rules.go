package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mltop/mltop/internal/fleet"
)

// rulesAnswer is GET /api/v1/alerts as Prometheus, Thanos and Mimir answer it.
type rulesAnswer struct {
	Status    string   `json:"status"`
	Error     string   `json:"error"`
	ErrorType string   `json:"errorType"`
	Warnings  []string `json:"warnings"`
	Data      struct {
		Alerts []struct {
			Labels      map[string]string `json:"labels"`
			Annotations map[string]string `json:"annotations"`
			State       string            `json:"state"`
			ActiveAt    string            `json:"activeAt"`
		} `json:"alerts"`
	} `json:"data"`
}

// rules reads the rule evaluator's alerts: pending and firing ones.
func (r *Reader) rules(ctx context.Context) ([]fleet.Alert, []string, error) {
	body, err := r.get(ctx, "/api/v1/alerts")
	if err != nil {
		return nil, nil, err
	}
	var ans rulesAnswer
	if err := json.Unmarshal(body, &ans); err != nil {
		return nil, nil, fmt.Errorf("the answer of /api/v1/alerts is not the alerts API's JSON: %w", err)
	}
	if ans.Status != "success" {
		msg := text(ans.Error, maxText)
		if msg == "" {
			msg = "status " + text(ans.Status, maxShortText)
		}
		return nil, nil, errors.New("the server refused /api/v1/alerts: " + msg)
	}
	var warnings []string
	for _, w := range ans.Warnings {
		if len(warnings) == 8 {
			break
		}
		warnings = append(warnings, text(w, maxText))
	}
	out := make([]fleet.Alert, 0, min(len(ans.Data.Alerts), maxAlerts))
	for _, a := range ans.Data.Alerts {
		var state string
		switch a.State {
		case "firing":
			state = fleet.AlertFiring
		case "pending":
			state = fleet.AlertPending
		default:
			continue // inactive, or a state this version does not know
		}
		if len(out) == maxAlerts {
			warnings = append(warnings, fmt.Sprintf("more than %d alerts: the rest are not shown", maxAlerts))
			break
		}
		out = append(out, alertOf(a.Labels, a.Annotations, state, parseTime(a.ActiveAt)))
	}
	return out, warnings, nil
}
