package contexts

import (
	"testing"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// bigSwitcher is prod and staging opened, 1,000 models each.
func bigSwitcher(b *testing.B) *Model {
	sw := staticSwitcher(b, 200, 50, true)
	for _, name := range []string{"prod", "staging"} {
		s := uitest.Fleet(1000)
		sw.Root(name).Update(common.SnapshotMsg{Snapshot: s})
	}
	return sw
}

// BenchmarkMergeSnapshots is the merged view's work per snapshot that
// arrives: two contexts of 1,000 models each.
func BenchmarkMergeSnapshots(b *testing.B) {
	sw := bigSwitcher(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = mergeSnapshots(sw.children)
	}
}

// BenchmarkRoutedSnapshot is a snapshot of a context not shown reaching
// its root through the switcher, against the same root updated directly:
// the difference is what routing costs.
func BenchmarkRoutedSnapshot(b *testing.B) {
	s := uitest.Fleet(1000)
	b.Run("switcher", func(b *testing.B) {
		sw := bigSwitcher(b)
		msg := taggedMsg{owner: "staging", msg: common.SnapshotMsg{Snapshot: s}}
		b.ReportAllocs()
		for b.Loop() {
			sw.Update(msg)
		}
	})
	b.Run("root", func(b *testing.B) {
		sw := bigSwitcher(b)
		r := sw.Root("staging")
		msg := common.SnapshotMsg{Snapshot: s}
		b.ReportAllocs()
		for b.Loop() {
			r.Update(msg)
		}
	})
}
