package config

import (
	"maps"
	"slices"
)

// reservedKeys are the dashboard's own one-character keys, with what each
// does. A custom action bound to one of them would be advertised and then
// never run, or hide the built-in key, so the config refuses it.
// ui/root's tests keep this list equal to the keys the screens bind.
var reservedKeys = map[string]string{
	// Global keys (ui/root).
	"q": "quit / back", "?": "help", ":": "commands", "/": "filter",
	"1": "range", "2": "range", "3": "range", "4": "range",
	// The built-in actions, and the rollout verbs (actions.rollout).
	"R": "roll back", "T": "retrain",
	"A": "abort the rollout", "P": "promote the rollout", "F": "promote the rollout fully",
	"Z": "pause / resume the rollout", "Y": "retry the rollout",
	"M": "silence the model's alerts",
	// Moving in lists and pages (fleet, audit, detail, drift).
	"j": "down", "k": "up", "g": "top", "G": "bottom",
	// The fleet and detail screens.
	"d": "drift", "c": "compare", "s": "sort", "S": "reverse sort",
	// The compare screen.
	"h": "previous version", "l": "next version",
	"[": "previous A", "]": "next A", "{": "previous B", "}": "next B",
	// The audit screen.
	"r": "refresh the audit log",
	// The detail screen's alerts, and the alerts screen.
	"a": "alerts of the model", "o": "open the alert's model",
}

// rolloutKeys are the rollout verbs' keys: reserved only where
// actions.rollout is configured, so a config that bound one of them to a
// custom action before the verbs existed still loads, and keeps its key.
var rolloutKeys = map[string]bool{"A": true, "P": true, "F": true, "Z": true, "Y": true}

// silenceKey is the silence's key: reserved only where an Alertmanager is
// configured, for the same reason (without one, a custom M keeps it).
const silenceKey = "M"

// reservedFor is what key does in the dashboard of a config with actions
// a (and an Alertmanager, or not), or "" when a custom action may take it.
func reservedFor(a *Actions, alertmanager bool, key string) string {
	if rolloutKeys[key] && a.Rollout.Kind == "" || key == silenceKey && !alertmanager {
		return ""
	}
	return reservedKeys[key]
}

// ReservedKeys are the one-character keys the dashboard itself uses, sorted;
// actions.custom[].key may not be one of them.
func ReservedKeys() []string { return slices.Sorted(maps.Keys(reservedKeys)) }
