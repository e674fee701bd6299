package root

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

var ctrlT = tea.KeyPressMsg{Code: 't', Mod: tea.ModCtrl}

var sgr = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// hasColor reports whether s sets a foreground or background colour.
func hasColor(s string) bool {
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, err := strconv.Atoi(p)
			if err == nil && (n >= 30 && n <= 38 || n >= 40 && n <= 48 || n >= 90 && n <= 97 || n >= 100 && n <= 107) {
				return true
			}
		}
	}
	return false
}

func TestCtrlTTurnsColoursOffAndBackOn(t *testing.T) {
	m := newRoot(t, "light", 120, 40, Options{Theme: "light"})
	if !hasColor(view(m)) {
		t.Fatal("the light theme draws no colour: the test cannot tell")
	}
	m.Update(ctrlT)
	if m.c.Theme == nil || !m.c.Theme.NoColor {
		t.Fatalf("after ctrl+t the theme is %+v, want no colour", m.c.Theme.Palette.Name)
	}
	v := view(m)
	if hasColor(v) {
		t.Errorf("colour codes remain after ctrl+t: %q", v[:min(len(v), 200)])
	}
	if !strings.Contains(ansi.Strip(v), "colours off") {
		t.Errorf("no word that colours went off:\n%s", ansi.Strip(v))
	}
	m.Update(ctrlT)
	if m.c.Theme.NoColor || m.c.Theme.Palette.Name != "light" {
		t.Errorf("after the second ctrl+t the theme is %q (no colour %v), want light", m.c.Theme.Palette.Name, m.c.Theme.NoColor)
	}
	if !hasColor(view(m)) {
		t.Error("colours did not come back")
	}
}

func TestCtrlTFromNoColorAtStartTurnsColoursOn(t *testing.T) {
	m := New(Options{NoColor: true, Context: "demo"})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if !m.c.Theme.NoColor {
		t.Fatal("NoColor did not start without colours")
	}
	m.Update(ctrlT)
	if m.c.Theme.NoColor {
		t.Error("ctrl+t did not turn colours on")
	}
}

func TestCtrlTIsInTheHelp(t *testing.T) {
	m := newRoot(t, "dark", 200, 50, Options{})
	m.Update(keyMsg("?"))
	if v := ansi.Strip(view(m)); !strings.Contains(v, "ctrl+t") || !strings.Contains(v, "colours off / on") {
		t.Errorf("help does not list ctrl+t:\n%s", v)
	}
}
