package config

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// healthStates are the values actions.custom[].states accepts.
var healthStates = []string{"ok", "warn", "critical", "unknown"}

func (v *validator) actions(a *Actions, alertmanager bool) {
	v.action("actions.rollback", &a.Rollback, UseRollback)
	// Retrain is optional: only check it once something of it is written.
	if a.Retrain.Kind != "" || v.src.hasUnder("actions.retrain") {
		v.action("actions.retrain", &a.Retrain, UseRetrain)
	}
	if a.Rollout.Kind != "" || v.src.hasUnder("actions.rollout") {
		v.action("actions.rollout", &a.Rollout, UseRollout)
	}
	for tag, values := range a.TypedName {
		if strings.TrimSpace(tag) == "" || len(values) == 0 {
			v.errorf(entryKey("actions.typed_name", tag), "want tag: [values], got %q: %v", tag, values)
		}
	}
	for tag, values := range a.TwoPerson {
		if strings.TrimSpace(tag) == "" || len(values) == 0 {
			v.errorf(entryKey("actions.two_person", tag), "want tag: [values], got %q: %v", tag, values)
		}
	}
	if a.ApprovalTTL <= 0 {
		v.errorf("actions.approval_ttl", "must be more than 0, got %s", a.ApprovalTTL)
	}
	byKey := map[string]int{}
	for i := range a.Custom {
		c := &a.Custom[i]
		key := indexKey("actions.custom", i)
		switch first, dup := byKey[c.Key]; {
		case c.Key == "":
			v.errorf(key+".key", "is required")
		case !singlePrintable(c.Key):
			v.errorf(key+".key", "must be one printable character, got %q", c.Key)
		case reservedFor(a, alertmanager, c.Key) != "":
			v.errorf(key+".key", "%q is mltop's own key for %s; pick one mltop does not use (it uses %s)",
				c.Key, reservedFor(a, alertmanager, c.Key), strings.Join(ReservedKeys(), " "))
		case dup:
			v.errorf(key+".key", "%q is already bound by actions.custom[%d]", c.Key, first)
		default:
			byKey[c.Key] = i
		}
		if strings.TrimSpace(c.Title) == "" {
			v.errorf(key+".title", "is required")
		}
		v.action(key, &c.Action, UseCustom)
		v.personRole(key+".role", c.Role)
		for j, s := range c.States {
			if !slices.Contains(healthStates, s) {
				v.errorf(indexKey(key+".states", j), "%s", unknownMsg("state", s, healthStates, true))
			}
		}
	}
}

// singlePrintable reports whether s is exactly one visible character.
func singlePrintable(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	return size == len(s) && r != utf8.RuneError && unicode.IsPrint(r) && !unicode.IsSpace(r)
}

// entryKey is the key of a map's entry, for a problem with it; the map's
// own for a blank name.
func entryKey(key, name string) string {
	if strings.TrimSpace(name) == "" {
		return key
	}
	return joinKey(key, name)
}
