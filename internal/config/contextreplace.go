package config

import (
	"slices"

	"go.yaml.in/yaml/v3"
)

// replacedKeys adds to out the keys of the top level's mapping top whose
// whole value the context's mapping n replaces, so that the top level is
// read without them: a value that is not a mapping (a scalar, a list), an
// empty mapping (`headers: {}` clears the top level's), and an action
// given another kind. Any other mapping is laid over the top level's, key
// by key.
func (d *decoder) replacedKeys(n, top *yaml.Node, key string, out map[string]bool) {
	if n.Kind != yaml.MappingNode || top.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content) && d.visit() < maxVisits; i += 2 {
		k, val := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || isNull(val) {
			continue // the decoder says what is wrong, or keeps the top level's
		}
		sub := joinKey(key, k.Value)
		was := valueOf(top, k.Value)
		switch {
		case was == nil:
		case val.Kind != yaml.MappingNode || len(val.Content) == 0 || was.Kind != yaml.MappingNode:
			out[sub] = true
		case isActionKey(sub) && kindOf(val) != "" && kindOf(val) != baseKind(sub, was):
			out[sub] = true
		default:
			d.replacedKeys(val, was, sub, out)
		}
	}
}

// valueOf is the value of key name in mapping n, or nil.
func valueOf(n *yaml.Node, name string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := resolve(n.Content[i]); k.Kind == yaml.ScalarNode && k.Value == name {
			return resolve(n.Content[i+1])
		}
	}
	return nil
}

// kindOf is the kind an action mapping names, or "".
func kindOf(n *yaml.Node) string {
	if v := valueOf(n, "kind"); v != nil && v.Kind == yaml.ScalarNode && !isNull(v) {
		return v.Value
	}
	return ""
}

// baseKind is the kind of the top level's action at key: written, else
// the default.
func baseKind(key string, was *yaml.Node) string {
	if k := kindOf(was); k != "" || key != "actions.rollback" {
		return k
	}
	return DefaultRollbackKind
}

// actionKeys are the actions a context may lay over the top level's
// (actions.custom is a list: replaced whole).
var actionKeys = []string{"actions.rollback", "actions.retrain", "actions.rollout"}

func isActionKey(key string) bool { return slices.Contains(actionKeys, key) }
