package comparescreen

import (
	"slices"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// stripLine is the version list: every version of the model with its
// track and aliases, the pair's sides marked A and B, marked versions,
// and the cursor. It scrolls sideways to keep the cursor in view.
func stripLine(th *themes.Theme, g themes.Glyphs, m *fleet.Model, p pair, marks []string, cursor, width int) string {
	head := th.Header.Render("Versions") + " "
	chips := make([]string, len(m.Versions))
	for i := range m.Versions {
		chips[i] = chip(th, g, m, &m.Versions[i], p, marks, i == cursor)
	}
	avail := width - ansi.StringWidth(head)
	const sep = "  "
	first := 0
	for first < cursor && stripWidth(chips[first:cursor+1], sep)+2 > avail {
		first++
	}
	var b strings.Builder
	b.WriteString(head)
	used := ansi.StringWidth(head)
	if first > 0 {
		b.WriteString(th.Muted.Render("‹ "))
		used += 2
	}
	for i := first; i < len(chips); i++ {
		w := ansi.StringWidth(chips[i])
		more := i < len(chips)-1
		if used+w+boolInt(more)*2 > width && i > first {
			b.WriteString(th.Muted.Render("›"))
			break
		}
		b.WriteString(chips[i])
		used += w
		if more {
			b.WriteString(sep)
			used += len(sep)
		}
	}
	return common.Fit(b.String(), width)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func stripWidth(chips []string, sep string) int {
	w := 0
	for i, c := range chips {
		if i > 0 {
			w += len(sep)
		}
		w += ansi.StringWidth(c)
	}
	return w
}

// chip is one version in the list: [A] v11 stable champion.
func chip(th *themes.Theme, g themes.Glyphs, m *fleet.Model, v *fleet.Version, p pair, marks []string, cursor bool) string {
	box := "[ ]"
	boxStyle := th.Muted
	switch {
	case v.Version == p.a:
		box, boxStyle = "[A]", th.Graph1.Bold(true)
	case v.Version == p.b:
		box, boxStyle = "[B]", th.Graph2.Bold(true)
	}
	if slices.Contains(marks, v.Version) {
		box, boxStyle = "["+g.Marked+"]", th.Marked
	}
	text := versionLabel(v.Version)
	if t := termsafe.Clean(v.Track); t != "" {
		text += " " + t
	}
	if as := aliasesOf(m, v.Version); len(as) > 0 {
		text += " " + strings.Join(as, ",")
	}
	if cursor {
		return th.Selected.Render(box + " " + text)
	}
	return boxStyle.Render(box) + " " + common.TrackStyle(th, v.Track).Render(text)
}

// aliasesOf lists the aliases pointing at version v, sorted.
func aliasesOf(m *fleet.Model, v string) []string {
	var out []string
	for a, ver := range m.Aliases {
		if ver == v {
			out = append(out, termsafe.Clean(a))
		}
	}
	sort.Strings(out)
	return out
}
