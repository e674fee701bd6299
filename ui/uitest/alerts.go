package uitest

import (
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// AlertsSnapshot is Snapshot with Alertmanager as the alert source:
// payments-fraud has two alerts firing, image-tagger one pending,
// credit-risk's canary one silenced by ana, and a Watchdog fires without
// a model label.
func AlertsSnapshot() fleet.Snapshot {
	s := Snapshot()
	alerts := []fleet.Alert{
		{Name: "ModelErrorRatioHigh", State: fleet.AlertFiring, Since: Now.Add(-12 * time.Minute), Severity: "critical",
			Model: "payments-fraud", Version: "8", Summary: "error ratio 5.2% above 2% for 10m",
			Description: "payments-fraud v8 fails 5.2% of requests (threshold 2%)."},
		{Name: "ModelLatencyP95High", State: fleet.AlertFiring, Since: Now.Add(-7 * time.Minute), Severity: "warning",
			Model: "payments-fraud", Version: "8", Summary: "p95 latency 912ms above 500ms"},
		{Name: "ModelErrorRatioHigh", State: fleet.AlertPending, Since: Now.Add(-2 * time.Minute), Severity: "critical",
			Model: "image-tagger", Version: "2", Summary: "error ratio 9.1% above 2%"},
		{Name: "ModelQualityDrop", State: fleet.AlertSuppressed, Since: Now.Add(-3 * time.Hour), Severity: "warning",
			Model: "credit-risk", Version: "12", Summary: "auc .90 below its baseline .91",
			SilencedBy: []fleet.Silence{{ID: "8f2c1d", Author: "ana", Comment: "deploy of v12 under way", Ends: Now.Add(2 * time.Hour)}}},
		{Name: "Watchdog", State: fleet.AlertFiring, Since: Now.Add(-48 * time.Hour), Severity: "none",
			Summary: "the alerting pipeline works"},
	}
	for i := range alerts {
		a := &alerts[i]
		a.Labels = map[string]string{"alertname": a.Name}
		for k, v := range map[string]string{"severity": a.Severity, "model": a.Model, "version": a.Version} {
			if v != "" {
				a.Labels[k] = v
			}
		}
	}
	sum := &fleet.Alerts{Source: "alerts", Known: true}
	byName := map[string]int{}
	for i := range s.Models {
		byName[s.Models[i].Name] = i
		s.Models[i].Alerts = []fleet.Alert{}
	}
	for _, a := range alerts {
		sum.Count(a.State)
		if i, ok := byName[a.Model]; ok {
			s.Models[i].Alerts = append(s.Models[i].Alerts, a)
		} else {
			sum.Unattached = append(sum.Unattached, a)
		}
	}
	s.Alerts = sum
	s.Sources = append(s.Sources, fleet.SourceStatus{Name: "alerts", Kind: fleet.SourceKindAlerts, Backend: "alertmanager",
		OK: true, Latency: 9 * time.Millisecond, LastSuccess: Now})
	return s
}

// AlertsUnknownSnapshot is Snapshot whose alert source failed its read:
// alerts unknown, never none.
func AlertsUnknownSnapshot() fleet.Snapshot {
	s := Snapshot()
	s.Alerts = &fleet.Alerts{Source: "alerts", Error: "connection refused"}
	s.Sources = append(s.Sources, fleet.SourceStatus{Name: "alerts", Kind: fleet.SourceKindAlerts, Backend: "rules",
		Error: "connection refused", LastSuccess: Now.Add(-3 * time.Minute), NextAttempt: Now.Add(10 * time.Second)})
	return s
}
