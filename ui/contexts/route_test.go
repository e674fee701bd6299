package contexts

import (
	"reflect"
	"testing"

	tea "charm.land/bubbletea/v2"
)

type pingMsg struct{ n int }

// A tea.Sequence a root returns is tagged command by command, as a batch
// is, and stays a sequence the runtime runs in order: left untagged, its
// messages would reach whichever context is shown.
func TestSequenceIsTagged(t *testing.T) {
	if sequenceType == nil || sequenceType.Kind() != reflect.Slice || sequenceType.Elem() != cmdType {
		t.Fatalf("tea.Sequence makes %v, not a slice of commands: tag cannot reach into it", sequenceType)
	}
	seq := tea.Sequence(func() tea.Msg { return pingMsg{1} }, func() tea.Msg { return pingMsg{2} })
	msg := tag("prod", seq)()
	if reflect.TypeOf(msg) != sequenceType {
		t.Fatalf("tagged sequence is a %T, no longer the runtime's sequence", msg)
	}
	v := reflect.ValueOf(msg)
	if v.Len() != 2 {
		t.Fatalf("tagged sequence has %d commands, want 2", v.Len())
	}
	for i := range v.Len() {
		cmd, _ := v.Index(i).Interface().(tea.Cmd)
		got, ok := cmd().(taggedMsg)
		if !ok || got.owner != "prod" || got.msg != (pingMsg{i + 1}) {
			t.Fatalf("command %d of the sequence gave %#v, want pingMsg{%d} tagged prod", i, got, i+1)
		}
	}
}
