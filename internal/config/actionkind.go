package config

import (
	"errors"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// What an action kind can carry out: the action it is configured under.
const (
	UseRollback = "rollback"
	UseRetrain  = "retrain"
	UseCustom   = "custom"
	UseRollout  = "rollout" // the verbs of a progressive rollout: abort, promote, ...
)

// ActionKind is one way of carrying out an action: mlflow-alias, webhook,
// airflow, ... Each kind lives in one file of internal/actions and
// registers itself there when the package is loaded, as Prometheus's
// service-discovery kinds do; the loader learns from it the keys the kind
// adds to an action, their defaults and their checks. So a program that
// loads config files links internal/actions (mltop does).
type ActionKind interface {
	// Name is the value of `kind:` that selects it.
	Name() string
	// Serves reports whether the kind can carry out use (UseRollback,
	// UseRetrain or UseCustom).
	Serves(use string) bool
	// NewParams returns a new, empty value for the kind's own keys: a
	// pointer to a struct with yaml tags, decoded like the rest of the file
	// (a string field tagged `cfg:"path"` has "~/" expanded). Nil for a kind
	// without keys of its own.
	NewParams() any
	// Finish fills the defaults of a, which has this kind. It must be
	// idempotent: the executor applies it again.
	Finish(a *Action)
	// Check reports what is wrong with a, which has this kind; the shared
	// keys (url form, headers) are already checked.
	Check(a *Action, c *ActionCheck)
}

var actionKinds = map[string]ActionKind{}

// RegisterActionKind makes kind known to the loader. It panics on a second
// kind of the same name: two files claim it.
func RegisterActionKind(kind ActionKind) {
	name := kind.Name()
	if name == "" {
		panic("config: action kind without a name")
	}
	if _, dup := actionKinds[name]; dup {
		panic("config: action kind " + name + " registered twice")
	}
	actionKinds[name] = kind
}

// ActionKindNames lists the registered kinds that can carry out use (every
// kind for ""), sorted.
func ActionKindNames(use string) []string {
	var out []string
	for name, k := range actionKinds {
		if use == "" || k.Serves(use) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// ActionCheck is where a kind's Check reports problems. Keys are the
// action's own ("url", "dag"); the loader shows them as FILE:LINE: KEY.
type ActionCheck struct {
	v    *validator
	key  string // the action's path: "actions.retrain"
	kind string
}

// Errorf reports a problem with the action's key.
func (c *ActionCheck) Errorf(key, format string, args ...any) {
	c.v.errorf(joinKey(c.key, key), format, args...)
}

// Require reports key as missing when value is blank.
func (c *ActionCheck) Require(key, value string) {
	if strings.TrimSpace(value) == "" {
		c.Missing(key, "is required for kind %s", c.kind)
	}
}

// Missing reports a problem with a key that is not set, on the line of
// `kind:`: that is what needs it.
func (c *ActionCheck) Missing(key, format string, args ...any) {
	c.v.errorAt(joinKey(c.key, "kind"), joinKey(c.key, key), format, args...)
}

// FinishAction fills a's defaults and checks it for use, as the loader does
// for an action read from a file: for an action built in code. a's Params
// are replaced by a finished copy, so the caller's are left alone. The error
// lists every problem, as KEY: message.
func FinishAction(a *Action, use string) error {
	if a.Params != nil {
		p := reflect.ValueOf(a.Params)
		if p.Kind() == reflect.Pointer && !p.IsNil() {
			cp := reflect.New(p.Type().Elem())
			cp.Elem().Set(p.Elem())
			a.Params = cp.Interface()
		}
	}
	finishAction(a)
	v := &validator{src: source{lines: map[string]int{}}}
	v.action("", a, use)
	if len(v.errs) == 0 {
		return nil
	}
	msgs := make([]string, len(v.errs))
	for i, e := range v.errs {
		msgs[i] = e.Key + ": " + e.Msg
	}
	return errors.New(strings.Join(msgs, "; "))
}

func finishAction(a *Action) {
	if a.Kind == "" {
		return
	}
	if a.Timeout == 0 {
		a.Timeout = DefaultActionTimeout
	}
	k, ok := actionKinds[a.Kind]
	if !ok {
		return // validation reports it
	}
	if a.Params == nil {
		a.Params = k.NewParams()
	}
	k.Finish(a)
}

func (v *validator) action(key string, a *Action, use string) {
	kinds := ActionKindNames(use)
	kindKey := joinKey(key, "kind")
	switch k, known := actionKinds[a.Kind]; {
	case len(actionKinds) == 0:
		v.errorf(kindKey, "no action kinds are known: this program does not link internal/actions")
		return
	case a.Kind == "":
		v.errorf(kindKey, "is required (one of: %s)", strings.Join(kinds, ", "))
		return
	case !known || !k.Serves(use):
		v.errorf(kindKey, "%s", unknownMsg("kind", a.Kind, kinds, true))
		return
	case a.Params != nil && reflect.TypeOf(a.Params) != reflect.TypeOf(k.NewParams()):
		v.errorf(kindKey, "the action holds %T, not the keys of kind %s", a.Params, a.Kind)
		return
	}
	if a.URL != "" {
		v.httpURL(joinKey(key, "url"), a.URL)
	}
	v.headers(joinKey(key, "headers"), a.Headers)
	actionKinds[a.Kind].Check(a, &ActionCheck{v: v, key: key, kind: a.Kind})
}

// kindParams is the decoding target of a kind's own keys in one action
// mapping.
type kindParams struct {
	kind   string // the mapping's kind, when registered
	value  reflect.Value
	fields fieldSet
}

// kindParams reads `kind:` from the action mapping n and, for a registered
// kind with keys of its own, stores a new params value in v's params field.
func (d *decoder) kindParams(n *yaml.Node, v reflect.Value, fs fieldSet) kindParams {
	var kp kindParams
	params := v.FieldByIndex(fs.params)
	before := ""
	if f, ok := fs.byName["kind"]; ok {
		before = v.FieldByIndex(f.index).String()
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || k.Value != "kind" || val.Kind != yaml.ScalarNode {
			continue
		}
		if d.base != nil && before != "" && before != val.Value {
			// A context that changes an action's kind starts the action
			// afresh: the top level's keys were for another kind.
			v.Set(reflect.Zero(v.Type()))
			before = ""
		}
		kind, ok := actionKinds[val.Value]
		if !ok {
			return kp
		}
		kp.kind = val.Value
		if before == val.Value && !params.IsNil() {
			return d.keptParams(kp, params) // a context over the same kind
		}
		if p := kind.NewParams(); p != nil {
			params.Set(reflect.ValueOf(p))
			kp.value = reflect.ValueOf(p).Elem()
			kp.fields = fieldsOf(kp.value)
		}
		return kp
	}
	if d.base != nil && before != "" && !params.IsNil() {
		// A context writing some keys of an action the top level wrote.
		kp.kind = before
		return d.keptParams(kp, params)
	}
	return kp
}

// keptParams decodes into the params already held, which the top level
// filled.
func (d *decoder) keptParams(kp kindParams, params reflect.Value) kindParams {
	p := reflect.ValueOf(params.Interface())
	if p.Kind() == reflect.Pointer && !p.IsNil() && p.Elem().Kind() == reflect.Struct {
		kp.value = p.Elem()
		kp.fields = fieldsOf(kp.value)
	}
	return kp
}

// otherKind names a registered kind, other than the mapping's own, that
// has key name; "" when none has.
func otherKind(name string) string {
	for _, kind := range ActionKindNames("") {
		if p := actionKinds[kind].NewParams(); p != nil {
			if _, ok := fieldsOf(reflect.ValueOf(p).Elem()).byName[name]; ok {
				return kind
			}
		}
	}
	return ""
}

// unknownActionKey says what is wrong with a key an action's kind does not
// have: it belongs to another kind, or to none.
func (d *decoder) unknownActionKey(k *yaml.Node, key, name string, fs fieldSet, kp kindParams) {
	switch other := otherKind(name); {
	case other != "" && kp.kind == "":
		// The kind itself is missing or wrong; validation says so.
	case other != "":
		d.fail(k, key, "is a key of kind %s, not of %s", other, kp.kind)
	default:
		d.fail(k, key, "%s", unknownMsg("key", name, append(slices.Clone(fs.names), kp.fields.names...), false))
	}
}

// paramPaths lists the path-valued keys of a kind's params.
func paramPaths(params any) []*string {
	p := reflect.ValueOf(params)
	if p.Kind() != reflect.Pointer || p.IsNil() || p.Elem().Kind() != reflect.Struct {
		return nil
	}
	var out []*string
	s := p.Elem()
	for i := range s.NumField() {
		switch f := s.Field(i); {
		case s.Type().Field(i).Tag.Get("cfg") == "path" && f.Kind() == reflect.String:
			out = append(out, f.Addr().Interface().(*string))
		case f.Kind() == reflect.Struct: // a group of keys (kubernetes: {ca_file: ...})
			out = append(out, paramPaths(f.Addr().Interface())...)
		}
	}
	return out
}
