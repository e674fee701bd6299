package root

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/ui/common"
)

func lastLine(s string) string { return s[strings.LastIndex(s, "\n")+1:] }

func TestFilterLiveEnterKeepsEscClears(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	press(m, "/")
	typeText(m, "cred")
	// Live: the fleet is filtered before enter.
	text := ansi.Strip(view(m))
	if strings.Contains(text, "payments-fraud") || !strings.Contains(text, "credit-risk") {
		t.Fatalf("fleet not filtered while typing:\n%s", text)
	}
	if bottom := ansi.Strip(lastLine(view(m))); !strings.HasPrefix(bottom, " /cred") {
		t.Errorf("input line = %q", bottom)
	}
	press(m, "enter")
	if m.Filter() != "cred" || m.overlay != overlayNone {
		t.Fatalf("enter: filter %q, overlay %v", m.Filter(), m.overlay)
	}
	if bottom := ansi.Strip(lastLine(view(m))); !strings.Contains(bottom, "/cred") {
		t.Errorf("the filter in effect is not shown: %q", bottom)
	}
	// Reopening starts from the filter in effect; esc clears it.
	press(m, "/")
	if got := m.filter.input.Value(); got != "cred" {
		t.Errorf("reopened input = %q", got)
	}
	press(m, "esc")
	if m.Filter() != "" || !strings.Contains(ansi.Strip(view(m)), "payments-fraud") {
		t.Errorf("esc did not clear the filter (%q)", m.Filter())
	}
}

func TestFilterBadRegexKeepsPrevious(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{})
	press(m, "/")
	typeText(m, "/churn/")
	m.Update(tea.PasteMsg{Content: " /cr(/"})
	if m.Filter() != "/churn/" {
		t.Fatalf("filter in effect = %q, want the last good one", m.Filter())
	}
	bottom := ansi.Strip(lastLine(view(m)))
	if !strings.Contains(bottom, "not a valid pattern: missing closing )") {
		t.Errorf("error not shown next to the input: %q", bottom)
	}
	if text := ansi.Strip(view(m)); !strings.Contains(text, "churn-predictor") || strings.Contains(text, "credit-risk") {
		t.Errorf("previous filter not in effect:\n%s", text)
	}
	press(m, "enter")
	if m.Filter() != "/churn/" || !strings.Contains(m.flash.text, "kept the previous filter") {
		t.Errorf("enter on a bad pattern: filter %q, message %q", m.Filter(), m.flash.text)
	}
}

// Screens without SetFilter get FilterMsg, after the root checks the pattern.
func TestFilterMsgForScreensWithoutSetFilter(t *testing.T) {
	var got []string
	screens := Screens{
		Fleet: func(c *common.Common) common.Screen {
			return &filterRecorder{Screen: &fakeDetail{c: c, model: "fleet"}, got: &got}
		},
		Detail: newFakeDetail,
	}
	m := newRoot(t, "dark", 120, 40, Options{Screens: screens})
	press(m, "/")
	typeText(m, "ab(")
	if strings.Join(got, "|") != "a|ab" {
		t.Errorf("FilterMsgs = %q, want a|ab (ab( does not compile)", got)
	}
	if m.filter.err == "" {
		t.Error("no error for ab(")
	}
}

type filterRecorder struct {
	common.Screen
	got *[]string
}

func (f *filterRecorder) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	if fm, ok := msg.(common.FilterMsg); ok {
		*f.got = append(*f.got, fm.Query)
	}
	return f, nil
}
