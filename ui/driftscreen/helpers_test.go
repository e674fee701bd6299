package driftscreen

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// open returns a sized drift screen over the drift fixture with a fake
// provider, without history yet.
func open(t testing.TB, theme, model string, w, h int) (*Model, *common.Common, *uitest.Provider) {
	t.Helper()
	c := uitest.Common(theme)
	s := uitest.DriftSnapshot()
	c.Snapshot = &s
	p := &uitest.Provider{}
	c.DriftHistory = p
	m := New(c, model)
	m.SetSize(w, h)
	return m, c, p
}

// withHistory delivers the fixture's drift history for the current range,
// one step per heatmap column, as the screen asks.
func withHistory(m *Model, c *common.Common) {
	m.Update(common.DriftHistoryMsg{Model: m.model, History: uitest.DriftHistory(m.model, c.Range, m.fetchWidth())})
}

// lineWith returns the first plain line containing s, or "".
func lineWith(view, s string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
