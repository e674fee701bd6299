package root

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/themes"
)

// palette is the : command input with completion: tab completes the
// command and then its argument; the candidates for what is typed are
// listed above the input as the user types.
type palette struct {
	input textinput.Model
	cands []candidate // completions of the word under the cursor
	sel   int         // highlighted candidate, used by tab when ambiguous
}

// candidate is one completion: the full word and what it does or is.
type candidate struct {
	word, desc string
}

func newPalette(t *themes.Theme) palette {
	in := textinput.New()
	in.Prompt = ":"
	in.Placeholder = "command (tab completes)"
	in.SetStyles(inputStyles(t))
	return palette{input: in}
}

func (p *palette) setTheme(t *themes.Theme) { p.input.SetStyles(inputStyles(t)) }
func (p *palette) setWidth(w int)           { p.input.SetWidth(max(w/2, 10)) }

// open starts an empty command line and lists every command.
func (p *palette) open(complete func(string) (int, []candidate)) tea.Cmd {
	p.input.SetValue("")
	p.refresh(complete)
	return p.input.Focus()
}

func (p *palette) close() {
	p.input.Blur()
	p.input.SetValue("")
	p.cands, p.sel = nil, 0
}

// refresh recomputes the candidates for the text typed.
func (p *palette) refresh(complete func(string) (int, []candidate)) {
	_, p.cands = complete(p.input.Value())
	p.sel = 0
}

// complete is tab: a single candidate is taken whole (a command that takes
// an argument gets its space), several extend the text to what they share,
// and when they share no more the highlighted one is taken.
func (p *palette) complete(complete func(string) (int, []candidate), takesArg func(string) bool) {
	text := p.input.Value()
	start, cands := complete(text)
	if len(cands) == 0 {
		return
	}
	word := text[start:]
	fill := cands[min(p.sel, len(cands)-1)].word
	if len(cands) == 1 {
		fill = cands[0].word
	} else if lcp := commonPrefix(cands); len(lcp) > len(word) {
		fill = lcp
	}
	text = text[:start] + fill
	if len(cands) == 1 && start == 0 && takesArg(fill) {
		text += " "
	}
	p.input.SetValue(text)
	p.input.CursorEnd()
	p.refresh(complete)
}

// chosen is the command line enter runs: an argument typed in part is
// completed to the highlighted candidate, as the list shows it, and a
// command name typed in part to the one command it can be (:aud runs
// :audit). A name several commands share is run as typed, to fail in
// plain words rather than run a guess.
func (p *palette) chosen(complete func(string) (int, []candidate)) string {
	text := p.input.Value()
	start, cands := complete(text)
	word := text[start:]
	if word == "" || len(cands) == 0 {
		return text
	}
	for _, c := range cands {
		if c.word == word {
			return text
		}
	}
	if start == len(text)-len(strings.TrimLeft(text, " ")) {
		// The command name itself: an alias (:q) is already whole.
		if len(cands) != 1 || lookupCommand(word) != nil {
			return text
		}
		return text[:start] + cands[0].word
	}
	return text[:start] + cands[min(p.sel, len(cands)-1)].word
}

func commonPrefix(cands []candidate) string {
	prefix := cands[0].word
	for _, c := range cands[1:] {
		n := 0
		for n < len(prefix) && n < len(c.word) && prefix[n] == c.word[n] {
			n++
		}
		prefix = prefix[:n]
	}
	return prefix
}

// paletteKey handles a key while the command input is open.
func (m *Model) paletteKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.input.Accept):
		text := m.palette.chosen(m.commandCandidates)
		m.palette.close()
		m.overlay = overlayNone
		return m.runCommand(text)
	case key.Matches(k, m.input.Cancel):
		m.palette.close()
		m.overlay = overlayNone
		return nil
	case key.Matches(k, m.input.Complete):
		m.palette.complete(m.commandCandidates, takesArgument)
		return nil
	case k.String() == "down":
		if n := len(m.palette.cands); n > 0 {
			m.palette.sel = (m.palette.sel + 1) % n
		}
		return nil
	case k.String() == "up":
		if n := len(m.palette.cands); n > 0 {
			m.palette.sel = (m.palette.sel + n - 1) % n
		}
		return nil
	}
	return m.paletteInput(k)
}

// paletteInput edits the command text and refreshes the candidates.
func (m *Model) paletteInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.palette.input, cmd = m.palette.input.Update(msg)
	m.palette.refresh(m.commandCandidates)
	return cmd
}
