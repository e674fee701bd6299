package root

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/ui/uitest"
)

// The status line names the engine behind a source when it is not the
// source's own name, and drops it first when the line is short of room.
func TestStatusLineNamesTheBackend(t *testing.T) {
	c := uitest.Common("dark")
	s := uitest.Snapshot()
	s.Sources[0].Name, s.Sources[0].Kind, s.Sources[0].Backend = "prometheus", "prometheus", "thanos"
	c.Snapshot = &s
	m := newRoot(t, "dark", 200, 50, Options{Common: c})
	got := view(m)
	assertFits(t, got, 200, 50)
	if top := ansi.Strip(strings.SplitN(got, "\n", 2)[0]); !strings.Contains(top, "prometheus (thanos) ✔") {
		t.Errorf("status line %q does not name the backend", top)
	}
	s.Sources[0].Backend = "prometheus"
	m = newRoot(t, "dark", 200, 50, Options{Common: c})
	if top := ansi.Strip(strings.SplitN(view(m), "\n", 2)[0]); strings.Contains(top, "(prometheus)") {
		t.Errorf("status line %q repeats the source's name", top)
	}
	for _, w := range []int{40, 80} {
		s.Sources[0].Backend = "victoriametrics"
		m = newRoot(t, "dark", w, 10, Options{Common: c})
		assertFits(t, view(m), w, 10)
	}
}

// A source that answers, but more slowly than the refresh, says so: its
// refreshes then come less often than the refresh interval promises.
func TestStatusLineSaysSlowerThanTheRefresh(t *testing.T) {
	c := uitest.Common("dark")
	c.Refresh = 5 * time.Second
	s := uitest.Snapshot()
	s.Sources[0].OK, s.Sources[0].Latency = true, 7200*time.Millisecond
	c.Snapshot = &s
	top := ansi.Strip(strings.SplitN(view(newRoot(t, "dark", 200, 50, Options{Common: c})), "\n", 2)[0])
	if !strings.Contains(top, "7.2s, slower than the 5s refresh") {
		t.Errorf("status line %q does not say the source is slower than the refresh", top)
	}
	s.Sources[0].Latency = 40 * time.Millisecond
	top = ansi.Strip(strings.SplitN(view(newRoot(t, "dark", 200, 50, Options{Common: c})), "\n", 2)[0])
	if strings.Contains(top, "slower") {
		t.Errorf("status line %q calls a 40ms answer slow", top)
	}
}
