package root

import (
	"errors"
	"regexp"
	"regexp/syntax"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// filterBar is the one-line input that / opens at the bottom. The fleet is
// filtered live as the user types; a pattern that does not compile leaves
// the previous filter in effect and says why.
type filterBar struct {
	input   textinput.Model
	applied string // the filter in effect
	err     string // why the text typed is not a filter, in plain words
}

func newFilterBar(t *themes.Theme) filterBar {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "name, key=value, !ok, track=canary, /re/"
	in.SetStyles(inputStyles(t))
	return filterBar{input: in}
}

func (f *filterBar) setTheme(t *themes.Theme) { f.input.SetStyles(inputStyles(t)) }

// setWidth leaves room on the line for an error message.
func (f *filterBar) setWidth(w int) { f.input.SetWidth(max(w/2, 10)) }

// open starts editing from the filter in effect.
func (f *filterBar) open() tea.Cmd {
	f.input.SetValue(f.applied)
	f.input.CursorEnd()
	f.err = ""
	return f.input.Focus()
}

func (f *filterBar) close() {
	f.input.Blur()
	f.err = ""
}

// filterSetter is the fleet screen's direct filter entry, which reports a
// bad pattern instead of silently matching nothing.
type filterSetter interface{ SetFilter(q string) error }

// filterKey handles a key while the filter input is open: enter keeps the
// filter, esc clears it, anything else edits it.
func (m *Model) filterKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.input.Accept):
		if m.filter.err != "" {
			m.flash.set("kept the previous filter: "+m.filter.err, true, m.c.Now)
		}
		m.filter.close()
		m.overlay = overlayNone
		return nil
	case key.Matches(k, m.input.Cancel):
		m.filter.close()
		m.overlay = overlayNone
		return m.applyFilter("", true)
	}
	return m.filterInput(k)
}

// filterInput edits the text and applies it when it changed.
func (m *Model) filterInput(msg tea.Msg) tea.Cmd {
	before := m.filter.input.Value()
	var cmd tea.Cmd
	m.filter.input, cmd = m.filter.input.Update(msg)
	if v := m.filter.input.Value(); v != before {
		return tea.Batch(cmd, m.applyFilter(v, false))
	}
	return cmd
}

// applyFilter sets the fleet filter. A bad pattern keeps the previous one;
// the error goes next to the input while typing, to the key line otherwise.
func (m *Model) applyFilter(q string, announce bool) tea.Cmd {
	fail := func(err error) tea.Cmd {
		m.filter.err = plainFilterError(err)
		if announce {
			m.flash.set(m.filter.err, true, m.c.Now)
		}
		return nil
	}
	bottom := m.stack[0]
	if fs, ok := bottom.(filterSetter); ok {
		if err := fs.SetFilter(q); err != nil {
			return fail(err)
		}
		m.filter.applied, m.filter.err = q, ""
		return nil
	}
	if _, err := regexp.Compile("(?i)" + q); err != nil {
		return fail(err)
	}
	m.filter.applied, m.filter.err = q, ""
	s, cmd := bottom.Update(common.FilterMsg{Query: q})
	if s != nil {
		m.stack[0] = s
	}
	return cmd
}

// plainFilterError turns a regexp error into words an operator reads at a glance.
func plainFilterError(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return "not a valid pattern: " + string(se.Code)
	}
	return termsafe.Clean(err.Error())
}
