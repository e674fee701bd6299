package detailscreen

import (
	"testing"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// open returns a sized detail screen for model with a fake provider,
// without history yet.
func open(t testing.TB, theme, model string, w, h int) (*Model, *common.Common, *uitest.Provider) {
	t.Helper()
	c := uitest.Common(theme)
	p := &uitest.Provider{}
	c.History = p
	m := New(c, model)
	m.SetSize(w, h)
	return m, c, p
}

// withHistory delivers the fixture's history of the current range.
func withHistory(m *Model, c *common.Common, points int) {
	m.Update(common.HistoryMsg{Model: m.model, Window: uitest.History(c.Range, points)})
}
