package root

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

const hostileText = uitest.Hostile

// poisonStrings appends hostileText to every string reachable from v (fields,
// slice elements, map keys and values), as a hostile Prometheus and
// registry would send in every label, name, tag and error.
func poisonStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(v.String() + hostileText)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			poisonStrings(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				poisonStrings(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			poisonStrings(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		iter := v.MapRange()
		for iter.Next() {
			k := reflect.New(v.Type().Key()).Elem()
			k.Set(iter.Key())
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(iter.Value())
			poisonStrings(k)
			poisonStrings(e)
			out.SetMapIndex(k, e)
		}
		v.Set(out)
	}
}

// TestHostileSnapshotIsDrawnCleaned: with every string of the snapshot
// hostile, the fleet, detail, drift and compare screens and the status
// line draw only text and colours.
func TestHostileSnapshotIsDrawnCleaned(t *testing.T) {
	s := uitest.Snapshot()
	poisonStrings(reflect.ValueOf(&s).Elem())
	s.Sources = append(s.Sources, fleet.SourceStatus{Name: "prom" + hostileText, Error: "down" + hostileText})
	c := uitest.Common("dark")
	c.Snapshot = nil
	m := newRoot(t, "dark", 160, 50, Options{Common: c})
	m.Update(common.SnapshotMsg{Snapshot: s})
	check := func(where string) {
		t.Helper()
		if r, ok := uitest.TerminalActs(view(m)); ok {
			t.Fatalf("%s draws %U:\n%q", where, r, view(m))
		}
	}
	check("the fleet")
	name := func(prefix string) string {
		for _, md := range s.Models {
			if strings.HasPrefix(md.Name, prefix) {
				return md.Name
			}
		}
		t.Fatalf("no model %s… in the fixture", prefix)
		return ""
	}
	for _, step := range []struct {
		where, title string
		msg          tea.Msg
	}{
		{"the detail screen", "churn", common.OpenModelMsg{Model: name("churn")}},
		{"the drift screen", "drift", common.OpenDriftMsg{Model: name("churn")}},
		{"the compare screen", "compare", common.OpenCompareMsg{Model: name("credit")}},
		{"the audit screen", "audit", common.OpenAuditMsg{}},
	} {
		m.Update(step.msg)
		if title := m.top().Title(); !strings.Contains(strings.ToLower(title), step.title) {
			t.Errorf("%s did not open: the screen is %q", step.where, title)
		}
		check(step.where)
		m.Update(common.BackMsg{})
	}
}
