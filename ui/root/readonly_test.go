package root

import "testing"

// inContext is an executor acting in a context.
type inContext struct {
	*fakeExecutor
	name string
}

func (c inContext) Context() string { return c.name }

func TestReadOnlyNamesTheContext(t *testing.T) {
	fx := newFakeExecutor()
	fx.readOnly = true
	m := newRoot(t, "dark", 120, 40, Options{Common: newTestCommon("dark"), Actions: inContext{fx, "prod-eu"}})
	press(m, "R")
	if want := "read-only in context prod-eu: actions are disabled"; m.flash.text != want {
		t.Errorf("R in a read-only context says %q, want %q", m.flash.text, want)
	}
}
