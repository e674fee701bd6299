package contexts

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/root"
	"github.com/mltop/mltop/ui/uitest"
)

// staticSwitcher is the fixture's switcher without running commands: prod
// shown with its fleet, staging opened with its own when asked, so the
// frames depend on nothing but the fixture.
func staticSwitcher(t testing.TB, w, h int, openStaging bool) *Model {
	t.Helper()
	f := newFixture(t, w, h)
	withFleet := func(name string) root.Options {
		o := f.options(name)
		s := fleetOf(name)
		o.Common.Snapshot, o.Snapshots = &s, nil
		return o
	}
	sw := New(Options{Contexts: f.ctxs, Current: "prod", First: withFleet("prod"), Open: f.open})
	sw.Update(tea.WindowSizeMsg{Width: w, Height: h})
	if openStaging {
		sw.Update(openedMsg{name: "staging", opts: withFleet("staging")})
	}
	return sw
}

func frame(sw *Model) string { return sw.View().Content }

func TestGoldenContexts(t *testing.T) {
	for _, size := range uitest.Sizes {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			sw := staticSwitcher(t, w, h, false)
			uitest.Golden(t, fmt.Sprintf("status-dark-%dx%d", w, h), frame(sw))

			sw = staticSwitcher(t, w, h, true)
			sw.Update(taggedMsg{owner: "prod", msg: common.ListContextsMsg{}})
			uitest.Golden(t, fmt.Sprintf("list-dark-%dx%d", w, h), frame(sw))

			sw = staticSwitcher(t, w, h, true)
			sw.Update(taggedMsg{owner: "prod", msg: common.AllContextsMsg{}})
			uitest.Golden(t, fmt.Sprintf("all-dark-%dx%d", w, h), frame(sw))
		})
	}
}

// The context's name stays on the status line however narrow the window.
func TestContextNameAtEveryWidth(t *testing.T) {
	for w := 12; w <= 200; w++ {
		sw := staticSwitcher(t, w, 10, false)
		plain := ansi.Strip(frame(sw))
		if !containsFirstLine(plain, "prod") {
			t.Fatalf("width %d: no context on the status line:\n%s", w, plain)
		}
	}
}
