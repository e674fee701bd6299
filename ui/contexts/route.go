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

// sequenceType is the runtime's unexported type of tea.Sequence: a slice
// of commands it runs in order. Like a batch, each of its commands must
// be tagged, or their messages would reach whichever context is shown.
var sequenceType = reflect.TypeOf(tea.Sequence(func() tea.Msg { return nil }, func() tea.Msg { return nil })())

var cmdType = reflect.TypeFor[tea.Cmd]()

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
	if t := reflect.TypeOf(msg); t == sequenceType && t.Kind() == reflect.Slice && t.Elem() == cmdType {
		// The same type again, so the runtime still runs it in order.
		in := reflect.ValueOf(msg)
		out := reflect.MakeSlice(t, in.Len(), in.Len())
		for i := range in.Len() {
			c, _ := in.Index(i).Interface().(tea.Cmd)
			out.Index(i).Set(reflect.ValueOf(tag(owner, c)))
		}
		return out.Interface()
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
