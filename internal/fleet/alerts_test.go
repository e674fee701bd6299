package fleet

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Alerts in the JSON: unknown (null) stays apart from none ([]); an alert
// has every field, unknown ones null; the fleet-wide picture is there
// with the alert source, null without.
func TestAlertsJSON(t *testing.T) {
	at := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	s := Snapshot{TakenAt: at, Models: []Model{
		{Name: "fraud", Alerts: []Alert{{Name: "ErrorsHigh", State: AlertSuppressed, Since: at.Add(-time.Minute), Model: "fraud",
			Labels: map[string]string{"alertname": "ErrorsHigh"}, SilencedBy: []Silence{{ID: "s1", Author: "ana", Comment: "deploy", Ends: at.Add(time.Hour)}}}}},
		{Name: "churn", Alerts: []Alert{}},
		{Name: "eta"},
	}, Alerts: &Alerts{Source: "alerts", Known: true, Suppressed: 1}}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		`"alerts":[{"name":"ErrorsHigh","state":"suppressed","since":"2026-12-07T14:59:00Z","severity":null,"model":"fraud","version":null,"labels":{"alertname":"ErrorsHigh"},"summary":null,"description":null,"silenced_by":[{"id":"s1","author":"ana","comment":"deploy","ends":"2026-12-07T16:00:00Z"}],"inhibited_by":[]}]`,
		`"name":"churn"`, `"versions":[],"alerts":[]}`,
		`"versions":[],"alerts":null}`,
		`"alerts":{"source":"alerts","known":true,"error":null,"firing":0,"pending":0,"suppressed":1,"unattached":[]}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("JSON lacks %s:\n%s", want, got)
		}
	}
	s.Alerts = nil
	if b, _ := json.Marshal(s); !strings.Contains(string(b), `"models":[],"alerts":null,`) && !strings.Contains(string(b), `}],"alerts":null,`) {
		t.Errorf("without an alert source: %s", b)
	}
}

func TestSortAlerts(t *testing.T) {
	as := []Alert{
		{Name: "c", State: AlertSuppressed},
		{Name: "b", State: AlertPending, Severity: "critical"},
		{Name: "a", State: AlertFiring, Severity: "warning"},
		{Name: "z", State: AlertFiring, Severity: "critical"},
	}
	SortAlerts(as)
	var names []string
	for _, a := range as {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, ""); got != "zabc" {
		t.Errorf("order %s, want firing (critical first), pending, suppressed", got)
	}
}
