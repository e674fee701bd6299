package config

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// decoder fills a value from a yaml.Node by walking both together, so every
// problem can name the key and line, and keeps going after a problem so that
// all of them are reported at once. A value that fails to decode keeps its
// default.
type decoder struct {
	src  source
	errs Errors
	// visits counts the values decoded; decoders reading one file share
	// it, so a file's contexts (each over the top level) have one budget.
	visits *int
	// overflowed is set once this decoder said the budget ran out.
	overflowed bool
	// prefix goes before every key an error names: "contexts.NAME." while
	// a context's keys are read over the file's top level.
	prefix string
	// base is where the top level was written when decoding a context over
	// it (nil otherwise): a mapping it wrote is extended, key by key, and
	// an action keeps its kind's keys.
	base *source
	// skip are keys not to read: the top level's keys a context replaces.
	skip map[string]bool
}

// maxVisits bounds the work of one file: aliases can make a small file
// expand into millions of values (the "billion laughs"). The top level is
// read again for each context, and every reading counts.
const maxVisits = 100_000

// visit counts one value read; false once the file's budget is spent.
func (d *decoder) visit() int {
	if d.visits == nil {
		d.visits = new(int)
	}
	*d.visits++
	return *d.visits
}

// spent reports whether the file's budget of values is used up.
func (d *decoder) spent() bool { return d.visits != nil && *d.visits >= maxVisits }

var durationType = reflect.TypeFor[time.Duration]()

func (d *decoder) fail(n *yaml.Node, key, format string, args ...any) {
	if d.prefix != "" {
		key = strings.TrimSuffix(d.prefix+key, ".")
	}
	d.errs = append(d.errs, &Error{File: d.src.name(), Line: n.Line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// resolve follows YAML aliases (*anchor) to the node they stand for.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names what a node is, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	if isNull(n) {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

// decode stores n into v; key is v's dotted path.
func (d *decoder) decode(n *yaml.Node, key string, v reflect.Value, oneOrList bool) {
	switch v := d.visit(); {
	case v == maxVisits:
		d.fail(n, key, "too many values: aliases expand the file beyond %d values", maxVisits)
		d.overflowed = true
		return
	case v > maxVisits || len(d.errs) >= maxErrors:
		return
	}
	n = resolve(n)
	if v.Type() == durationType {
		d.duration(n, key, v)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.structure(n, key, v)
	case reflect.Map:
		d.mapping(n, key, v)
	case reflect.Slice:
		d.list(n, key, v, oneOrList)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, key, "expected a string, got %s", describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
			d.fail(n, key, "not a boolean (true or false): %s", describe(n))
			return
		}
		v.SetBool(b)
	case reflect.Int:
		var i int
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil {
			d.fail(n, key, "not an integer: %s", describe(n))
			return
		}
		v.SetInt(int64(i))
	case reflect.Float64:
		var f float64
		tag := n.ShortTag()
		if n.Kind != yaml.ScalarNode || (tag != "!!float" && tag != "!!int") || n.Decode(&f) != nil {
			d.fail(n, key, "not a number: %s", describe(n))
			return
		}
		v.SetFloat(f)
	default:
		d.fail(n, key, "cannot be set from the file")
	}
}

func (d *decoder) duration(n *yaml.Node, key string, v reflect.Value) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, key, "not a duration: %s", describe(n))
		return
	}
	dur, err := parseDuration(n.Value)
	if err != nil {
		d.fail(n, key, "not a duration: %q", n.Value)
		return
	}
	if dur < 0 {
		d.fail(n, key, "must not be negative, got %s", n.Value)
		return
	}
	v.SetInt(int64(dur))
}

// pairs walks a mapping node's keys, reporting non-string and repeated keys.
func (d *decoder) pairs(n *yaml.Node, key string, each func(k, val *yaml.Node, name string)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k, key, "a key must be a plain name, got %s", describe(k))
			continue
		}
		name := k.Value
		if first, dup := seen[name]; dup {
			d.fail(k, joinKey(key, name), "set twice (first at line %d)", first)
			continue
		}
		seen[name] = k.Line
		if k.Value == "<<" {
			d.fail(k, key, "merge keys (<<) are not supported")
			continue
		}
		if isNull(resolve(val)) {
			continue // "key:" with no value keeps the default
		}
		if d.skip[joinKey(key, name)] {
			continue
		}
		each(k, val, name)
	}
}

func (d *decoder) structure(n *yaml.Node, key string, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, key, "expected a mapping, got %s", describe(n))
		return
	}
	fields := fieldsOf(v)
	var kp kindParams
	if fields.params != nil {
		kp = d.kindParams(n, v, fields)
	}
	d.pairs(n, key, func(k, val *yaml.Node, name string) {
		target := v
		f, ok := fields.byName[name]
		if !ok && kp.value.IsValid() {
			target = kp.value
			f, ok = kp.fields.byName[name]
		}
		sub := joinKey(key, name)
		switch {
		case !ok && fields.params != nil:
			d.unknownActionKey(k, sub, name, fields, kp)
			return
		case !ok:
			d.fail(k, sub, "%s", unknownMsg("key", name, d.knownKeys(key, v, fields), false))
			return
		}
		d.src.lines[sub] = k.Line
		d.decode(val, sub, target.FieldByIndex(f.index), f.oneOrList)
	})
}

func (d *decoder) mapping(n *yaml.Node, key string, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, key, "expected a mapping, got %s", describe(n))
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	if d.base != nil && d.base.has(key) && !v.IsNil() {
		// A context adds to a mapping the top level wrote (headers,
		// queries) rather than replacing it.
		for it := v.MapRange(); it.Next(); {
			m.SetMapIndex(it.Key(), it.Value())
		}
	}
	d.pairs(n, key, func(k, val *yaml.Node, name string) {
		sub := joinKey(key, name)
		d.src.lines[sub] = k.Line
		elem := reflect.New(v.Type().Elem()).Elem()
		before := len(d.errs)
		d.decode(val, sub, elem, false)
		if len(d.errs) == before {
			m.SetMapIndex(reflect.ValueOf(name), elem)
		}
	})
	v.Set(m)
}

func (d *decoder) list(n *yaml.Node, key string, v reflect.Value, oneOrList bool) {
	if oneOrList && n.Kind == yaml.ScalarNode {
		s := reflect.MakeSlice(v.Type(), 1, 1)
		d.decode(n, key, s.Index(0), false)
		v.Set(s)
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.fail(n, key, "expected a list, got %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), 0, len(n.Content))
	for i, item := range n.Content {
		sub := indexKey(key, i)
		d.src.lines[sub] = item.Line
		elem := reflect.New(v.Type().Elem()).Elem()
		d.decode(item, sub, elem, false)
		s = reflect.Append(s, elem)
	}
	v.Set(s)
}

type field struct {
	index     []int
	oneOrList bool
}

type fieldSet struct {
	byName map[string]field
	names  []string // in declaration order, for "known:" lists
	// params is the index of an action's kind-params field (tagged
	// `cfg:"kind-params"`), which holds the keys of the kind named by the
	// mapping's `kind:`; nil when there is none.
	params []int
}

// fieldsOf lists the yaml keys of a struct, flattening `yaml:",inline"`
// embedded structs.
func fieldsOf(v reflect.Value) fieldSet {
	fs := fieldSet{byName: map[string]field{}}
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			if sf.Tag.Get("cfg") == "kind-params" {
				fs.params = append(append([]int(nil), prefix...), i)
				continue
			}
			tag, ok := sf.Tag.Lookup("yaml")
			if !ok || tag == "-" {
				continue
			}
			index := append(append([]int(nil), prefix...), i)
			name, opts, _ := strings.Cut(tag, ",")
			if opts == "inline" {
				walk(sf.Type, index)
				continue
			}
			fs.byName[name] = field{index: index, oneOrList: sf.Tag.Get("cfg") == "one-or-list"}
			fs.names = append(fs.names, name)
		}
	}
	walk(v.Type(), nil)
	return fs
}

// knownKeys are the keys a mapping may hold, for "known:" lists: the
// file's top level also holds contexts:, read apart from the rest; a
// context holds color: and none of the keys only the top level may set.
func (d *decoder) knownKeys(key string, v reflect.Value, fields fieldSet) []string {
	switch {
	case key != "" || v.Type() != reflect.TypeFor[Config]():
		return fields.names
	case d.prefix != "":
		names := slices.DeleteFunc(slices.Clone(fields.names), func(n string) bool { return serverWide[n] != "" })
		return append(names, colorKey)
	}
	return append(slices.Clone(fields.names), contextsKey)
}
