package root

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/ui/common"
)

// fakeFleet lists model names matching its filter, one per line.
type fakeFleet struct {
	c       *common.Common
	w, h    int
	filter  *regexp.Regexp
	query   string
	clicks  []tea.Mouse
	updates int
}

func newFakeFleet(c *common.Common) common.Screen { return &fakeFleet{c: c} }

func (f *fakeFleet) SetFilter(q string) error {
	re, err := regexp.Compile("(?i)" + q)
	if err != nil {
		return fmt.Errorf("filter %q: %w", q, err)
	}
	f.filter, f.query = re, q
	return nil
}

func (f *fakeFleet) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	f.updates++
	switch msg := msg.(type) {
	case tea.MouseClickMsg:
		f.clicks = append(f.clicks, msg.Mouse())
	case tea.KeyPressMsg:
		if msg.String() == "enter" {
			if names := f.names(); len(names) > 0 {
				return f, func() tea.Msg { return common.OpenModelMsg{Model: names[0]} }
			}
		}
	}
	return f, nil
}

func (f *fakeFleet) names() []string {
	var out []string
	if f.c.Snapshot == nil {
		return nil
	}
	for _, m := range f.c.Snapshot.Models {
		if f.filter == nil || f.filter.MatchString(m.Name) {
			out = append(out, m.Name)
		}
	}
	return out
}

func (f *fakeFleet) View() string {
	lines := make([]string, f.h)
	for i, n := range f.names() {
		if i < f.h {
			lines[i] = n
		}
	}
	return strings.Join(lines, "\n")
}
func (f *fakeFleet) SetSize(w, h int)  { f.w, f.h = w, h }
func (f *fakeFleet) Keys() help.KeyMap { return fakeKeys{} }
func (f *fakeFleet) Title() string     { return "fleet" }
func (f *fakeFleet) Capturing() bool   { return false }

// fakeDetail asks for history on open and on every range change.
type fakeDetail struct {
	c      *common.Common
	model  string
	w, h   int
	typing bool
}

func newFakeDetail(c *common.Common, model string) common.Screen {
	return &fakeDetail{c: c, model: model}
}

func (d *fakeDetail) Init() tea.Cmd {
	return common.FetchHistory(d.c.History, d.model, d.c.Range, d.w)
}

func (d *fakeDetail) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.RangeMsg:
		return d, common.FetchHistory(d.c.History, d.model, msg.Range, d.w)
	case tea.KeyPressMsg:
		switch msg.String() {
		case "i":
			d.typing = true
		case "esc":
			d.typing = false
		}
	}
	return d, nil
}
func (d *fakeDetail) View() string      { return "detail of " + d.model }
func (d *fakeDetail) SetSize(w, h int)  { d.w, d.h = w, h }
func (d *fakeDetail) Keys() help.KeyMap { return fakeKeys{} }
func (d *fakeDetail) Title() string     { return d.model }
func (d *fakeDetail) Capturing() bool   { return d.typing }

type fakeKeys struct{}

func (fakeKeys) ShortHelp() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail"))}
}
func (k fakeKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// recordingHistory records the ranges asked for.
type recordingHistory struct {
	mu     sync.Mutex
	ranges []time.Duration
}

func (r *recordingHistory) History(rng time.Duration, _ int) (history.Window, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ranges = append(r.ranges, rng)
	return history.Window{Range: rng}, nil
}

func (r *recordingHistory) asked() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.ranges...)
}

var fakeScreens = Screens{Fleet: newFakeFleet, Detail: newFakeDetail}

// countingScreens are fake screens that count ThemeChangedMsgs.
func countingScreens() (Screens, *int) {
	n := new(int)
	return Screens{
		Fleet: func(c *common.Common) common.Screen {
			return &themeCounter{Screen: newFakeFleet(c), n: n}
		},
		Detail: newFakeDetail,
	}, n
}

type themeCounter struct {
	common.Screen
	n *int
}

func (s *themeCounter) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	if _, ok := msg.(common.ThemeChangedMsg); ok {
		*s.n++
	}
	_, cmd := s.Screen.Update(msg)
	return s, cmd
}
