package root

import (
	"reflect"
	"slices"
	"testing"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/ui/common"
)

// The config refuses custom action keys that the dashboard uses itself,
// from a list it keeps without importing the UI. That list must be
// exactly the one-character keys the root and every screen bind (plus
// the built-in actions' R and T, checked in internal/actions): a key
// missing from it would let a custom action be advertised and never run.
func TestConfigReservedKeysAreTheDashboardKeys(t *testing.T) {
	m := newRoot(t, "dark", 120, 40, Options{Actions: newFakeExecutor()})
	bound := map[string]string{} // key -> where
	add := func(where string, bs ...key.Binding) {
		for _, b := range bs {
			for _, k := range b.Keys() {
				if utf8.RuneCountInString(k) == 1 {
					bound[k] = where
				}
			}
		}
	}
	g := reflect.ValueOf(m.keys)
	for i := range g.NumField() {
		add("global", g.Field(i).Interface().(key.Binding))
	}
	screen := func(name string) {
		km := m.top().Keys()
		add(name, km.ShortHelp()...)
		for _, col := range km.FullHelp() {
			add(name, col...)
		}
	}
	screen("fleet")
	for _, open := range []struct {
		name string
		msg  any
	}{
		{"detail", common.OpenModelMsg{Model: "credit-risk"}},
		{"drift", common.OpenDriftMsg{Model: "credit-risk"}},
		{"compare", common.OpenCompareMsg{Model: "credit-risk"}},
		{"audit", common.OpenAuditMsg{}},
		{"alerts", common.OpenAlertsMsg{}},
	} {
		m.Update(open.msg)
		if len(m.Stack()) < 2 {
			t.Fatalf("%s screen did not open: stack %v", open.name, m.Stack())
		}
		screen(open.name)
		m.Update(common.BackMsg{})
	}
	for _, builtin := range []string{"R", "T", "A", "P", "F", "Z", "Y", "M"} {
		bound[builtin] = "built-in action"
	}

	reserved := config.ReservedKeys()
	for k, where := range bound {
		if !slices.Contains(reserved, k) {
			t.Errorf("key %q (%s) is bound by the dashboard but missing from config's reserved keys", k, where)
		}
	}
	for _, k := range reserved {
		if _, ok := bound[k]; !ok {
			t.Errorf("config reserves %q, which no screen binds", k)
		}
	}
}
