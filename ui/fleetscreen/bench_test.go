package fleetscreen

import (
	"fmt"
	"testing"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

var fleetSizes = []int{100, 1000, 10000}

// BenchmarkView measures drawing one frame: it must not grow with the
// fleet. It draws past the view cache, which would otherwise answer every
// View after the first.
func BenchmarkView(b *testing.B) {
	for _, n := range fleetSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			c := uitest.Common("dark")
			s := uitest.Fleet(n)
			c.Snapshot = &s
			m := New(c)
			m.Update(common.HistoryMsg{Window: uitest.History(trendRange, sparkWidth)})
			m.SetSize(200, 50)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.draw()
			}
		})
	}
}

// BenchmarkSnapshotUpdate measures receiving a snapshot: entries, sort,
// filter and layout.
func BenchmarkSnapshotUpdate(b *testing.B) {
	for _, n := range fleetSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			c := uitest.Common("dark")
			m := New(c)
			m.SetSize(200, 50)
			if err := m.SetFilter("!team=search"); err != nil {
				b.Fatal(err)
			}
			msg := common.SnapshotMsg{Snapshot: uitest.Fleet(n)}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				m.Update(msg)
			}
		})
	}
}
