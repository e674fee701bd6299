package root

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// BenchmarkIdleSecond measures what one second of an idle dashboard costs
// (data unchanged): the clock tick, the frame it schedules and the View
// Bubble Tea asks for after each. Its time per op over one second is the
// share of a core an idle dashboard keeps busy (core-%).
func BenchmarkIdleSecond(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			now := time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)
			s := uitest.Fleet(n)
			s.TakenAt = now
			m := New(Options{Theme: "dark", Refresh: 2 * time.Second, Role: "operator", Now: now})
			m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
			m.Update(common.SnapshotMsg{Snapshot: s})
			m.Update(frameMsg{})
			_ = m.View()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				now = now.Add(time.Second)
				m.Update(clockMsg{now: now})
				_ = m.View()
				m.Update(frameMsg{})
				_ = m.View()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e9*100, "core-%")
		})
	}
}
