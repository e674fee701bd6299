package fleet

type alertsJSON struct {
	Source     string      `json:"source"`
	Known      bool        `json:"known"`
	Error      *string     `json:"error"`
	Firing     int         `json:"firing"`
	Pending    int         `json:"pending"`
	Suppressed int         `json:"suppressed"`
	Unattached []alertJSON `json:"unattached"`
}

type alertJSON struct {
	Name        string            `json:"name"`
	State       string            `json:"state"`
	Since       *string           `json:"since"`
	Severity    *string           `json:"severity"`
	Model       *string           `json:"model"`
	Version     *string           `json:"version"`
	Labels      map[string]string `json:"labels"`
	Summary     *string           `json:"summary"`
	Description *string           `json:"description"`
	SilencedBy  []silenceJSON     `json:"silenced_by"`
	InhibitedBy []string          `json:"inhibited_by"`
}

type silenceJSON struct {
	ID      string  `json:"id"`
	Author  *string `json:"author"`
	Comment *string `json:"comment"`
	Ends    *string `json:"ends"`
}

func encodeAlertsState(a *Alerts) *alertsJSON {
	if a == nil {
		return nil
	}
	un := encodeAlerts(a.Unattached)
	if un == nil {
		un = []alertJSON{}
	}
	return &alertsJSON{Source: a.Source, Known: a.Known, Error: str(a.Error),
		Firing: a.Firing, Pending: a.Pending, Suppressed: a.Suppressed, Unattached: un}
}

// encodeAlerts keeps nil (unknown) apart from none ([]).
func encodeAlerts(as []Alert) []alertJSON {
	if as == nil {
		return nil
	}
	out := make([]alertJSON, 0, len(as))
	for _, a := range as {
		aj := alertJSON{Name: a.Name, State: a.State, Since: timeStr(a.Since), Severity: str(a.Severity),
			Model: str(a.Model), Version: str(a.Version), Labels: a.Labels, Summary: str(a.Summary),
			Description: str(a.Description), SilencedBy: make([]silenceJSON, 0, len(a.SilencedBy)),
			InhibitedBy: nonNil(a.InhibitedBy)}
		if aj.Labels == nil {
			aj.Labels = map[string]string{}
		}
		for _, s := range a.SilencedBy {
			aj.SilencedBy = append(aj.SilencedBy, silenceJSON{ID: s.ID, Author: str(s.Author), Comment: str(s.Comment), Ends: timeStr(s.Ends)})
		}
		out = append(out, aj)
	}
	return out
}
