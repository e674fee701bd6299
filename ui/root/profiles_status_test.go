package root

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/uitest"
)

// Detected profiles are named beside the source; configured ones are not
// (the config says them). A detection that could not choose is a warning
// saying why and what is read instead, never a plain ✔.
func TestStatusLineSaysDetectedProfiles(t *testing.T) {
	c := uitest.Common("dark")
	s := uitest.Snapshot()
	s.Sources[0].Name, s.Sources[0].Kind, s.Sources[0].OK = "prometheus", "prometheus", true
	s.Sources[0].Profiles = &fleet.Profiles{Names: []string{"mltop", "mlserver"}, Detected: true}
	c.Snapshot = &s
	got := view(newRoot(t, "dark", 200, 50, Options{Common: c}))
	uitest.Golden(t, "detected-dark-200x50", got)
	if top := ansi.Strip(strings.SplitN(got, "\n", 2)[0]); !strings.Contains(top, "prometheus ✔ profiles mltop+mlserver (detected)") {
		t.Errorf("status line %q does not name the detected profiles", top)
	}
	got = view(newRoot(t, "dark", 80, 24, Options{Common: c}))
	assertFits(t, got, 80, 24)
	uitest.Golden(t, "detected-dark-80x24", got)

	s.Sources[0].Profiles = &fleet.Profiles{Names: []string{"mltop", "mlserver"}}
	if top := ansi.Strip(strings.SplitN(view(newRoot(t, "dark", 200, 50, Options{Common: c})), "\n", 2)[0]); strings.Contains(top, "profiles") {
		t.Errorf("status line %q speaks of profiles the config names", top)
	}

	s.Sources[0].Profiles = &fleet.Profiles{Names: []string{"mltop", "triton"}, Problem: "profiles not detected: timed out after 5s"}
	got = view(newRoot(t, "dark", 200, 50, Options{Common: c}))
	uitest.Golden(t, "failed-dark-200x50", got)
	top := ansi.Strip(strings.SplitN(got, "\n", 2)[0])
	if !strings.Contains(top, "prometheus ⚠ profiles not detected: timed out after 5s; reading every exporter profile") {
		t.Errorf("status line %q does not say detection failed", top)
	}
	if strings.Contains(top, "prometheus ✔") {
		t.Errorf("status line %q shows the source as plainly fine", top)
	}
	got = view(newRoot(t, "dark", 80, 24, Options{Common: c}))
	assertFits(t, got, 80, 24)
	uitest.Golden(t, "failed-dark-80x24", got)
}
