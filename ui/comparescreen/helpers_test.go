package comparescreen

import (
	"testing"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// open returns a sized compare screen with a fake provider, without history yet.
func open(t testing.TB, theme, model, a, b string, w, h int) (*Model, *common.Common, *uitest.Provider) {
	t.Helper()
	c := uitest.Common(theme)
	p := &uitest.Provider{}
	c.History = p
	m := New(c, model, a, b)
	m.SetSize(w, h)
	return m, c, p
}

// withHistory delivers the fixture's history of the current range.
func withHistory(m *Model, c *common.Common, points int) {
	m.Update(common.HistoryMsg{Model: m.model, Window: uitest.History(c.Range, points)})
}

// keys sends key presses in order.
func keys(m *Model, ks ...string) {
	for _, k := range ks {
		m.Update(uitest.Press(k))
	}
}
