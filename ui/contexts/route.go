package contexts

import (
	"reflect"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// taggedMsg is a message one context's commands made (its snapshot
// subscription, history answers, ticks, action results), tagged with the
// context's name so it reaches that context's root and no other: a
// snapshot of prod arriving while staging is shown must not be drawn as
// staging.
type taggedMsg struct {
	owner string
	msg   tea.Msg
}

// runtimePkg is Bubble Tea's own package: its messages (quit, batches,
// window and terminal requests) are the runtime's to handle and stay
// untagged.
var runtimePkg = reflect.TypeOf(tea.QuitMsg{}).PkgPath()

// tag makes cmd's message come back tagged with owner, recursing into
// batches so each command of one is tagged too.
func tag(owner string, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		return tagMsg(owner, cmd())
	}
}

func tagMsg(owner string, msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		out := make(tea.BatchMsg, len(msg))
		for i, c := range msg {
			out[i] = tag(owner, c)
		}
		return out
	}
	if isRuntime(msg) {
		return msg
	}
	return taggedMsg{owner: owner, msg: msg}
}

func isRuntime(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() == runtimePkg || strings.HasPrefix(t.PkgPath(), runtimePkg+"/")
}
