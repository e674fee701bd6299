package config

import (
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Context is one named context of a config file (contexts:): a cluster or
// environment with its own sources, actions and thresholds.
type Context struct {
	Name string
	// Color is the colour the context's name is drawn in: a colour name
	// or #rrggbb from the context's color key, else by convention (red
	// for a name that says production).
	Color string
	// Config is the whole config the context runs with: the file's top
	// level with the context's own keys laid over it. Its ContextName and
	// ContextColor are set.
	Config *Config
}

// contextsKey and the keys a context may not set: they hold the contexts
// themselves, or the server every context shares.
const contextsKey = "contexts"

// colorKey is the one key a context has that the top level has not.
const colorKey = "color"

var serverWide = map[string]string{
	contextsKey:       "contexts do not nest",
	"current_context": "it chooses among the contexts: write it at the top level",
	"serve":           "mltop serve is one server for every context: write it at the top level",
}

// inContext ends the message of a problem that only shows with a
// context's keys, with a key the context did not write itself.
const inContext = " (in context %q)"

// splitContexts returns the file's top level without its contexts: key,
// and that key's value (nil when not written).
func (d *decoder) splitContexts(n *yaml.Node) (top, contexts *yaml.Node) {
	top = &yaml.Node{Kind: yaml.MappingNode, Tag: n.Tag, Line: n.Line, Column: n.Column}
	first := 0
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		if k.Kind != yaml.ScalarNode || k.Value != contextsKey {
			top.Content = append(top.Content, n.Content[i], n.Content[i+1])
			continue
		}
		if first > 0 {
			d.fail(k, contextsKey, "set twice (first at line %d)", first)
			continue
		}
		first = k.Line
		d.src.lines[contextsKey] = k.Line
		contexts = n.Content[i+1]
	}
	return top, contexts
}

// readContexts reads the contexts: mapping, each context over the top
// level, and checks what names contexts (current_context, serve users').
// topErrs are the top level's own problems, not repeated per context. td
// is the decoder that read the top level: its budget of values is the
// contexts' too.
func (c *Config) readContexts(td *decoder, top, node *yaml.Node, getenv func(string) string, topErrs Errors) Errors {
	if td.visits == nil {
		td.visits = new(int)
	}
	d := &decoder{src: c.src, visits: td.visits}
	var errs Errors
	if node != nil {
		switch n := resolve(node); {
		case isNull(n):
		case n.Kind != yaml.MappingNode:
			d.fail(n, contextsKey, "expected a mapping of context names (prod-eu:, staging:, ...), got %s", describe(n))
		case len(n.Content)/2 > maxContexts:
			d.fail(n, contextsKey, "%d contexts: at most %d are allowed", len(n.Content)/2, maxContexts)
		default:
			errs = c.eachContext(d, n, top, getenv, topErrs)
		}
	}
	for i := range c.Contexts {
		c.Contexts[i].Config.Contexts = c.Contexts
	}
	v := &validator{src: c.src}
	v.contextNames(c)
	return append(append(d.errs, errs...), v.errs...)
}

// maxContexts bounds the contexts of one file: each is the whole top level
// again, in memory and in every command's start.
const maxContexts = 64

func (c *Config) eachContext(d *decoder, n, top *yaml.Node, getenv func(string) string, topErrs Errors) Errors {
	var errs Errors
	seen := map[string]int{}
	folded := map[string]string{} // lower case -> the name as written
	for i := 0; i+1 < len(n.Content) && !d.spent(); i += 2 {
		k, val := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k, contextsKey, "a context name must be a plain name, got %s", describe(k))
			continue
		}
		name, key := k.Value, joinKey(contextsKey, k.Value)
		if first, dup := seen[name]; dup {
			d.fail(k, key, "set twice (first at line %d)", first)
			continue
		}
		seen[name] = k.Line
		c.src.lines[key] = k.Line
		if msg := checkContextName(name); msg != "" {
			d.fail(k, key, "%s", msg)
			continue
		}
		if other, ok := folded[strings.ToLower(name)]; ok {
			d.fail(k, key, "differs from context %q (line %d) only in case: their state files would be one file where case is ignored (macOS, Windows); name it otherwise", other, seen[other])
			continue
		}
		folded[strings.ToLower(name)] = name
		ctx, cerrs := c.readContext(d, k, val, top, getenv, topErrs)
		errs = append(errs, cerrs...)
		if ctx != nil {
			c.Contexts = append(c.Contexts, *ctx)
		}
	}
	return errs
}

// readContext builds one context's Config: the defaults, the top level
// without what the context replaces, then the context's own keys, each
// problem named where it was written.
func (c *Config) readContext(d *decoder, k, n, top *yaml.Node, getenv func(string) string, topErrs Errors) (*Context, Errors) {
	name := k.Value
	prefix := joinKey(contextsKey, name) + "."
	cc := defaults()
	own := source{file: c.src.file, lines: map[string]int{}}
	od := &decoder{src: own, prefix: prefix, visits: d.visits}
	color, keys := od.contextKeys(resolve(n))
	// The top level again: its problems are already reported.
	base := source{file: c.src.file, lines: map[string]int{}}
	if top != nil {
		replaced := map[string]bool{}
		if keys != nil {
			od.replacedKeys(keys, resolve(top), "", replaced)
		}
		(&decoder{src: base, visits: d.visits, skip: replaced}).decode(top, "", reflect.ValueOf(cc).Elem(), false)
	}
	od.base = &base
	if keys != nil {
		od.decode(keys, "", reflect.ValueOf(cc).Elem(), false)
	}
	if od.spent() {
		// Half-decoded: checking it would only add noise.
		if !od.overflowed {
			od.fail(k, "", "too many values: the top level is read again for each context, and the contexts come to more than %d values (aliases expand them)", maxVisits)
		}
		return nil, od.errs
	}
	// A key both wrote is a mapping the context extends: the top level's
	// line names it.
	lines := make(map[string]int, len(base.lines)+len(own.lines))
	maps.Copy(lines, own.lines)
	maps.Copy(lines, base.lines)
	cc.src = source{file: c.src.file, lines: lines, context: name, own: own.lines, top: base.lines}
	finish(cc, getenv)
	if !own.has("audit.registry_history") && cc.Audit.RegistryHistory != "" {
		cc.Audit.RegistryHistory = ContextFile(cc.Audit.RegistryHistory, name)
	}
	errs := od.errs
	for _, e := range validate(cc) {
		if !repeats(topErrs, e, name) {
			errs = append(errs, e)
		}
	}
	if color == "" {
		color = ConventionalColor(name)
	}
	cc.CurrentContext = c.CurrentContext
	cc.ContextName, cc.ContextColor = name, color
	cc.warnings = append(cc.warnings, secretsElsewhere(c, cc)...)
	return &Context{Name: name, Color: color, Config: cc}, errs
}

// contextKeys checks one context's mapping: its color, and keys a context
// may not set. It returns the rest, to be decoded over the top level.
func (d *decoder) contextKeys(n *yaml.Node) (color string, keys *yaml.Node) {
	switch {
	case isNull(n):
		return "", nil
	case n.Kind != yaml.MappingNode:
		d.fail(n, "", "expected a mapping of config keys (prometheus:, mlflow:, color:, ...), got %s", describe(n))
		return "", nil
	}
	keys = &yaml.Node{Kind: yaml.MappingNode, Tag: n.Tag, Line: n.Line, Column: n.Column}
	colorLine := 0
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := resolve(n.Content[i]), resolve(n.Content[i+1])
		switch {
		case k.Kind != yaml.ScalarNode:
			keys.Content = append(keys.Content, n.Content[i], n.Content[i+1]) // the decoder says what is wrong
		case serverWide[k.Value] != "":
			d.fail(k, k.Value, "cannot be set in a context: %s", serverWide[k.Value])
		case k.Value == colorKey && colorLine > 0:
			d.fail(k, colorKey, "set twice (first at line %d)", colorLine)
		case k.Value == colorKey:
			colorLine = k.Line
			d.src.lines[colorKey] = k.Line
			if isNull(val) {
				continue
			}
			c, msg := checkColor(val)
			if msg != "" {
				d.fail(val, colorKey, "%s", msg)
			}
			color = c
		default:
			keys.Content = append(keys.Content, n.Content[i], n.Content[i+1])
		}
	}
	return color, keys
}

// repeats reports whether e, found with a context's keys, is a problem of
// the top level already reported: the same key, line and message.
func repeats(topErrs Errors, e *Error, name string) bool {
	key := strings.TrimPrefix(e.Key, joinKey(contextsKey, name)+".")
	msg := strings.TrimSuffix(e.Msg, fmt.Sprintf(inContext, name))
	for _, t := range topErrs {
		if t.Key == key && t.Line == e.Line && t.Msg == msg {
			return true
		}
	}
	return false
}

// relabel names a problem found in a context's Config where it was
// written: contexts.NAME.KEY for a key the context wrote, or one below a
// key it replaced; else the top level's key, saying which context's keys
// show the problem.
func (s source) relabel(e *Error) *Error {
	if s.context == "" {
		return e
	}
	for key := e.Key; key != ""; key = parentKey(key) {
		if _, ok := s.top[key]; ok {
			break // written at the top level, and kept by the context
		}
		if _, ok := s.own[key]; ok {
			e.Key = joinKey(contextsKey, s.context) + "." + e.Key
			return e
		}
	}
	e.Msg += fmt.Sprintf(inContext, s.context)
	return e
}

// contextNames checks the keys that name contexts: current_context and
// the serve users' contexts.
func (v *validator) contextNames(c *Config) {
	names := c.ContextNames()
	if cur := c.CurrentContext; cur != "" {
		switch {
		case len(names) == 0:
			v.errorf("current_context", "names context %q, but the file has no contexts: key", cur)
		case !slices.Contains(names, cur):
			v.errorf("current_context", "%s", unknownMsg("context", cur, names, true))
		}
	}
	for i, u := range c.Serve.Users {
		for j, name := range u.Contexts {
			key := indexKey(indexKey("serve.users", i)+".contexts", j)
			switch {
			case len(names) == 0:
				v.errorf(key, "names context %q, but the file has no contexts: key", name)
			case !slices.Contains(names, name):
				v.errorf(key, "%s", unknownMsg("context", name, names, true))
			}
		}
	}
}

// ContextNames are the names of the file's contexts, in the order written.
func (c *Config) ContextNames() []string {
	out := make([]string, len(c.Contexts))
	for i, ctx := range c.Contexts {
		out[i] = ctx.Name
	}
	return out
}

// ForContext returns the Config of the context called name: "" is the
// current one (current_context, else the first written). A file without
// contexts is its own Config for "", and has no context of any name.
func (c *Config) ForContext(name string) (*Config, error) {
	if len(c.Contexts) == 0 {
		if name == "" {
			return c, nil
		}
		return nil, fmt.Errorf("no contexts in %s: context %q is not defined (see Contexts in docs/config.md)", c.src.name(), name)
	}
	if name == "" {
		name = c.CurrentContext
	}
	if name == "" {
		return c.Contexts[0].Config, nil
	}
	for _, ctx := range c.Contexts {
		if ctx.Name == name {
			return ctx.Config, nil
		}
	}
	return nil, fmt.Errorf("unknown context %q in %s (known: %s)", name, c.src.name(), strings.Join(c.ContextNames(), ", "))
}

// ContextFile is path made one context's own: "registry-history.jsonl"
// becomes "registry-history.NAME.jsonl", so that state describing one
// context's sources never mixes with another's.
func ContextFile(path, name string) string {
	if path == "" || name == "" {
		return path
	}
	dir, base := filepath.Split(path)
	if ext := filepath.Ext(base); ext != "" && ext != base {
		return filepath.Join(dir, strings.TrimSuffix(base, ext)+"."+name+ext)
	}
	return path + "." + name
}
