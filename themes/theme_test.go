package themes

import (
	"strings"
	"testing"
)

func TestByName(t *testing.T) {
	for _, name := range Names() {
		th, err := ByName(name, true)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if th.Bad.Render("x") == "" {
			t.Fatalf("%s: empty render", name)
		}
	}
	if th, _ := ByName("auto", false); th.Palette.Name != "light" {
		t.Errorf("auto on light background = %s", th.Palette.Name)
	}
	if th, _ := ByName("auto", true); th.Palette.Name != "dark" {
		t.Errorf("auto on dark background = %s", th.Palette.Name)
	}
	if _, err := ByName("solarized", true); err == nil || !strings.Contains(err.Error(), "known:") {
		t.Errorf("unknown theme error = %v", err)
	}
}

func TestNoColorHasNoColourCodes(t *testing.T) {
	th := Build(Dark, true)
	for _, out := range []string{th.Bad.Render("x"), th.OK.Render("x"), th.Selected.Render("x"), th.Heat[4].Render("x")} {
		if strings.Contains(out, "38;2;") || strings.Contains(out, "48;2;") || strings.Contains(out, "38;5;") {
			t.Errorf("no-color output has colour codes: %q", out)
		}
	}
	colour := Build(Dark, false).Bad.Render("x")
	if !strings.Contains(colour, "38;2;") {
		t.Errorf("dark theme Bad has no colour: %q", colour)
	}
}
