package actions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/audit"
)

// silenceSeen is what a silence action asked for and what the plan read.
type silenceSeen struct {
	dur          time.Duration // Silence: how long
	version      string        // Silence: the version matched, "" = any
	alert        string        // Silence: the alertname matched, "" = any
	id           string        // Unsilence: the silence to expire
	alerts       []amAlert     // Silence: what matches now
	silencedBy   map[string]string
	silenceRead  *amSilence // Unsilence: the silence as read
	tooManyToSay int        // alerts matched beyond those listed
}

// maxListed bounds the alerts a plan names; the rest are counted.
const maxListed = 5

// missing, already expired, or not on this model.
func (a *amAdapter) look(ctx context.Context, d *TemplateData) (string, error) {
	sv := d.silence
	if a.base == "" {
		return NoAlertmanager, nil
	}
	if a.verb == Unsilence {
		return a.lookSilence(ctx, d)
	}
	if why := silenceRefusal(sv.dur); why != "" {
		return why, nil
	}
	q := url.Values{}
	for _, m := range matchers(*d) {
		q.Add("filter", m.String())
	}
	ans, err := a.call(ctx, *d, http.MethodGet, "/api/v2/alerts?"+q.Encode(), nil)
	if err != nil {
		return "", fmt.Errorf("read the alerts from Alertmanager: %w", err)
	}
	var alerts []amAlert
	if err := json.Unmarshal(ans.body, &alerts); err != nil {
		return "", fmt.Errorf("read the alerts from Alertmanager: %w", &notAlertmanager{status: ans.status, body: errorMessage(ans.body)})
	}
	slices.SortStableFunc(alerts, func(x, y amAlert) int { return strings.Compare(x.Labels["alertname"], y.Labels["alertname"]) })
	if len(alerts) > maxListed {
		sv.tooManyToSay = len(alerts) - maxListed
		alerts = alerts[:maxListed]
	}
	sv.alerts = alerts
	// Who silenced what is already silenced: one read per silence, for
	// the few alerts listed.
	sv.silencedBy = map[string]string{}
	for _, al := range alerts {
		for _, id := range al.Status.SilencedBy {
			if _, done := sv.silencedBy[id]; done {
				continue
			}
			sv.silencedBy[id] = ""
			if s, err := a.readSilence(ctx, *d, id); err == nil {
				sv.silencedBy[id] = s.Created
			}
		}
	}
	return "", nil
}

// lookSilence reads the silence to expire.
func (a *amAdapter) lookSilence(ctx context.Context, d *TemplateData) (string, error) {
	sv := d.silence
	s, missing, err := a.namedSilence(ctx, *d, sv.id)
	if missing != "" || err != nil {
		return missing, err
	}
	sv.silenceRead = s
	model, ok := silenceModel(s)
	switch {
	case s.Status.State == "expired":
		return fmt.Sprintf("silence %s already ended at %s UTC: nothing to expire", sv.id, s.EndsAt.UTC().Format("2006-01-02 15:04")), nil
	case !ok:
		return noOneModel(sv.id, s), nil
	case model != d.Model:
		return fmt.Sprintf("silence %s is on model %s, not %s", sv.id, model, d.Model), nil
	}
	return "", nil
}

func (a *amAdapter) describe(d TemplateData) ([]string, string) {
	sv := d.silence
	if a.verb == Unsilence {
		s := sv.silenceRead
		if s == nil {
			return []string{"expire silence " + sv.id}, "Alertmanager notifies again for matching alerts that still fire"
		}
		out := []string{
			fmt.Sprintf("expire silence %s: %s", s.ID, matchersText(s.Matchers)),
			fmt.Sprintf("by %s: %s", orNone(s.Created), orNone(s.Comment)),
			fmt.Sprintf("%s until %s UTC; ends now", s.Status.State, s.EndsAt.UTC().Format("2006-01-02 15:04")),
		}
		return out, "Alertmanager notifies again for matching alerts that still fire"
	}
	until := a.e.now().Add(sv.dur).UTC()
	out := []string{
		"silence " + matchersText(matchers(d)),
		fmt.Sprintf("for %s, until %s UTC", DurationText(sv.dur), until.Format("2006-01-02 15:04")),
	}
	if len(sv.alerts) == 0 {
		out = append(out, "nothing fires now; the silence will hold new ones")
	}
	for _, al := range sv.alerts {
		out = append(out, a.alertLine(al, sv))
	}
	if sv.tooManyToSay > 0 {
		out = append(out, fmt.Sprintf("and %d more", sv.tooManyToSay))
	}
	return out, "Alertmanager sends no notification for matching alerts until then; they still fire, in Prometheus and here. " +
		"mltop unsilence ID ends it early"
}

// alertLine is one alert the silence matches: its name, version, severity and state,
// and who silenced it already.
func (a *amAdapter) alertLine(al amAlert, sv *silenceSeen) string {
	name := al.Labels["alertname"]
	if v := al.Labels["version"]; v != "" {
		name += " v" + v
	}
	// The same alert may fire at two severities (a page and a ticket).
	if sev := al.Labels["severity"]; sev != "" {
		name += " " + sev
	}
	state := al.Status.State
	switch {
	case len(al.Status.SilencedBy) > 0:
		var by []string
		for _, id := range al.Status.SilencedBy {
			who := sv.silencedBy[id]
			if who == "" {
				who = "silence " + id
			}
			by = append(by, who)
		}
		state = "already silenced by " + strings.Join(by, ", ")
	case len(al.Status.InhibitedBy) > 0:
		state = "inhibited"
	case state == "active":
		state = "firing"
	}
	if !al.StartsAt.IsZero() {
		state += ", since " + al.StartsAt.UTC().Format("15:04") + " UTC"
	}
	return "matches now: " + name + " (" + state + ")"
}

func (a *amAdapter) change(d TemplateData) (before, after map[string]string) {
	sv := d.silence
	if a.verb == Unsilence {
		before = map[string]string{"silence": sv.id}
		if s := sv.silenceRead; s != nil {
			before["matchers"] = matchersText(s.Matchers)
			before["ends"] = s.EndsAt.UTC().Format(time.RFC3339)
		}
		return before, map[string]string{"silence": sv.id, "state": "expired"}
	}
	return nil, map[string]string{"matchers": matchersText(matchers(d)), "for": DurationText(sv.dur)}
}

func (a *amAdapter) send(ctx context.Context, d TemplateData) (audit.Response, error) {
	sv := d.silence
	if a.verb == Unsilence {
		ans, err := a.call(ctx, d, http.MethodDelete, "/api/v2/silence/"+url.PathEscape(sv.id), nil)
		if err != nil {
			return audit.Response{}, err
		}
		return audit.Response{Status: ans.status, RunID: sv.id, Message: "silence " + sv.id + " expired"}, nil
	}
	now := a.e.now().UTC()
	end := now.Add(sv.dur)
	comment := d.Reason
	if comment != "" {
		comment += " "
	}
	body := postableSilence{
		Matchers: matchers(d), StartsAt: now.Format(time.RFC3339Nano), EndsAt: end.Format(time.RFC3339Nano),
		CreatedBy: CreatedBy(d.Actor), Comment: comment + "(mltop request " + d.RequestID + ")",
	}
	ans, err := a.call(ctx, d, http.MethodPost, "/api/v2/silences", body)
	if err != nil {
		return audit.Response{}, err
	}
	id := stringField(ans.body, "silenceID")
	if id == "" {
		return audit.Response{Status: ans.status}, &notAlertmanager{status: ans.status, body: errorMessage(ans.body)}
	}
	msg := fmt.Sprintf("silenced until %s UTC (silence %s)", end.Format("2006-01-02 15:04"), id)
	return audit.Response{Status: ans.status, RunID: id, Message: msg}, nil
}

// those of the silence read.
func (sv *silenceSeen) matcherTexts(d TemplateData) []string {
	ms := matchers(d)
	if sv.id != "" {
		ms = nil
		if sv.silenceRead != nil {
			ms = sv.silenceRead.Matchers
		}
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.String()
	}
	return out
}

// silenceModel reads the silence req names and returns the model its
// matcher names, for an Unsilence asked for by the silence's id alone.
func (e *Executor) silenceModel(ctx context.Context, s Spec, req Request) (string, error) {
	a := e.adapters[s.Action].(*amAdapter)
	ctx, cancel := context.WithTimeout(ctx, timeout(s.cfg))
	defer cancel()
	id := strings.TrimSpace(req.SilenceID)
	if id == "" {
		return "", errors.New("no silence named")
	}
	sl, missing, err := a.namedSilence(ctx, TemplateData{RequestID: req.ID}, id)
	switch {
	case err != nil:
		return "", err
	case missing != "":
		return "", errors.New(missing)
	}
	m, ok := silenceModel(sl)
	if !ok {
		return "", errors.New(noOneModel(id, sl))
	}
	return m, nil
}

// namedSilence reads silence id; missing says so when Alertmanager has none.
func (a *amAdapter) namedSilence(ctx context.Context, d TemplateData, id string) (s *amSilence, missing string, err error) {
	s, err = a.readSilence(ctx, d, id)
	if se, ok := errors.AsType[*statusError](err); ok && se.status == http.StatusNotFound {
		return nil, fmt.Sprintf("no silence %s in Alertmanager", id), nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("read silence %s from Alertmanager: %w", id, err)
	}
	return s, "", nil
}

// noOneModel refuses a silence whose matchers name no one model.
func noOneModel(id string, s *amSilence) string {
	return fmt.Sprintf("silence %s matches no one model (%s): mltop expires silences on a model; use amtool or Alertmanager's page",
		id, matchersText(s.Matchers))
}
