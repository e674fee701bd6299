package sshserve

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/testenv"
)

// An operator's M over SSH silences the model in a real Alertmanager
// under their name and key fingerprint; the audit log and
// mltop_actions_total count it.
func TestOperatorSilencesFromTheDashboard(t *testing.T) {
	am := testenv.StartAlertmanager(t)
	armed := make(chan struct{}, 1)
	e := newEnv(t, envOptions{alertmanager: am.URL, tweak: func(o *Options) {
		o.NewModel = func(s *Session) tea.Model { return armProbe{Model: s.Dashboard(), armed: armed} }
	}})
	tm := e.open(e.operator, termOptions{})
	tm.out.waitFor(t, modelA)
	tm.confirm(armed, "M", "silence", "deploy window")

	recs := e.awaitRecords(t, 2)
	var states []audit.State
	for _, r := range recs {
		states = append(states, r.State)
		if r.Action != "silence" || r.Actor.User != "olga" || r.Actor.KeyFingerprint != e.operator.fp {
			t.Errorf("record %+v", r)
		}
	}
	if !slices.Equal(states, []audit.State{audit.Requested, audit.Succeeded}) {
		t.Fatalf("states %v (last: %+v)", states, recs[len(recs)-1].Response)
	}
	resp, err := http.Get(am.URL + "/api/v2/silences")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ss []struct {
		ID        string `json:"id"`
		CreatedBy string `json:"createdBy"`
		EndsAt    time.Time
	}
	if err := json.NewDecoder(resp.Body).Decode(&ss); err != nil {
		t.Fatal(err)
	}
	if len(ss) != 1 || ss[0].CreatedBy != "olga ("+e.operator.fp+")" || ss[0].ID != recs[1].Response.RunID {
		t.Fatalf("silences %+v, want one by olga (%s)", ss, e.operator.fp)
	}
	if d := time.Until(ss[0].EndsAt); d < 2*time.Hour-time.Minute || d > 2*time.Hour {
		t.Errorf("the dashboard's silence ends in %s, want 2h (the default)", d)
	}
	awaitCounter(t, e.metrics, "mltop_actions_total", "silence", 1)
}
