package poll

import (
	"fmt"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

// BenchmarkAttachAlerts: joining 2,000 alerts (the most a read keeps) to
// a fleet of 1,000 models, as every refresh does.
func BenchmarkAttachAlerts(b *testing.B) {
	models := make([]fleet.Model, 1000)
	for i := range models {
		models[i].Name = fmt.Sprintf("model-%04d", i)
	}
	st := &alertState{known: true}
	for i := range 2000 {
		st.list = append(st.list, fleet.Alert{Name: "ErrorsHigh", State: []string{fleet.AlertFiring, fleet.AlertPending}[i%2],
			Model: fmt.Sprintf("model-%04d", i%1200), Severity: "critical"})
	}
	b.ReportAllocs()
	for b.Loop() {
		snap := fleet.Snapshot{Models: models}
		attachAlerts(&snap, st, nil)
	}
}
