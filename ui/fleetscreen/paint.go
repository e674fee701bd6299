package fleetscreen

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/themes"
)

// tone names a theme style by meaning; cells say what they are, paints
// turn that into escape codes.
type tone uint8

const (
	toneNone tone = iota
	toneText
	toneMuted
	toneSubtle
	toneBold
	toneHeader
	toneTitle
	toneOK
	toneWarn
	toneBad
	toneUnknown
	toneStale
	toneBetter
	toneWorse
	toneStable
	toneCanary
	toneShadow
	toneProgressing
	tonePaused
	toneGraph
	numTones
)

// paints holds each tone's escape prefix and suffix, plain and on the
// selection background. Rendering a lipgloss style per cell is the costly
// part of a frame; wrapping text in precomputed codes keeps View cheap.
type paints struct {
	theme     *themes.Theme
	pre, post [numTones][2]string
}

func newPaints(t *themes.Theme) *paints {
	p := &paints{theme: t}
	if t == nil {
		return p
	}
	styles := [numTones]lipgloss.Style{
		toneNone: lipgloss.NewStyle(), toneText: t.Text, toneMuted: t.Muted, toneSubtle: t.Subtle,
		toneBold: t.Bold, toneHeader: t.Header, toneTitle: t.Title, toneOK: t.OK, toneWarn: t.Warn,
		toneBad: t.Bad, toneUnknown: t.Unknown, toneStale: t.Stale, toneBetter: t.Better,
		toneWorse: t.Worse, toneStable: t.Stable, toneCanary: t.Canary, toneShadow: t.Shadow,
		toneProgressing: t.Progressing, tonePaused: t.Paused, toneGraph: t.Graph1,
	}
	for i, st := range styles {
		p.pre[i][0], p.post[i][0] = split(st)
		p.pre[i][1], p.post[i][1] = split(st.Inherit(t.Selected))
	}
	return p
}

// split renders a marker and keeps what the style puts around it.
func split(st lipgloss.Style) (string, string) {
	const mark = "\x01"
	r := st.Render(mark)
	i := strings.Index(r, mark)
	if i < 0 {
		return "", ""
	}
	return r[:i], r[i+len(mark):]
}

// paint writes s in tone t (on the selection background when sel).
func (p *paints) paint(b *strings.Builder, t tone, sel bool, s string) {
	if s == "" {
		return
	}
	k := 0
	if sel {
		k = 1
	}
	b.WriteString(p.pre[t][k])
	b.WriteString(s)
	b.WriteString(p.post[t][k])
}

// spaces writes n blanks, on the selection background when sel.
func (p *paints) spaces(b *strings.Builder, n int, sel bool) {
	if n <= 0 {
		return
	}
	if sel {
		b.WriteString(p.pre[toneNone][1])
	}
	for range n {
		b.WriteByte(' ')
	}
	if sel {
		b.WriteString(p.post[toneNone][1])
	}
}
