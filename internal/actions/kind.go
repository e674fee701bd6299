package actions

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

// Custom is what an action kind serves as a custom action (Rollback and
// Retrain are the others).
const Custom = config.UseCustom

// kind is one action kind: its config, as the loader knows it
// (config.ActionKind), and the adapter that carries it out. Each kind is
// one file that registers itself in init with register(kindOf[P]{...}), so
// adding a kind is adding a file (with its doc section and test).
type kind interface {
	config.ActionKind
	newAdapter(e *Executor, s Spec) (adapter, error)
}

var kinds = map[string]kind{}

func register(k kind) {
	config.RegisterActionKind(k)
	kinds[k.Name()] = k
}

// kindOf declares a kind whose own keys are the struct P (struct{} for a
// kind without any). Every function but build is optional.
type kindOf[P any] struct {
	name   string
	serves []string // Rollback, Retrain, Custom
	// finish fills defaults: what is unset after decoding.
	finish func(a *config.Action, p *P)
	// check reports missing or malformed keys.
	check func(c *config.ActionCheck, a *config.Action, p *P)
	// build makes the adapter of a checked, finished action.
	build func(e *Executor, s Spec, p *P) (adapter, error)
}

func (k kindOf[P]) Name() string { return k.name }

func (k kindOf[P]) Serves(use string) bool { return slices.Contains(k.serves, use) }

func (k kindOf[P]) NewParams() any {
	if reflect.TypeFor[P]().NumField() == 0 {
		return nil
	}
	return new(P)
}

func (k kindOf[P]) Finish(a *config.Action) {
	if k.finish != nil {
		k.finish(a, k.params(a))
	}
}

func (k kindOf[P]) Check(a *config.Action, c *config.ActionCheck) {
	if k.check != nil {
		k.check(c, a, k.params(a))
	}
}

func (k kindOf[P]) newAdapter(e *Executor, s Spec) (adapter, error) {
	return k.build(e, s, k.params(&s.cfg))
}

// params are a's own keys; empty ones when a has none (a kind without keys,
// or an action built in code before it is finished).
func (k kindOf[P]) params(a *config.Action) *P {
	if p, ok := a.Params.(*P); ok && p != nil {
		return p
	}
	return new(P)
}

// use is what the loader calls s's place in the config.
func use(s Spec) string {
	switch {
	case s.Action == Rollback || s.Action == Retrain:
		return s.Action
	case IsRolloutVerb(s.Action):
		return config.UseRollout
	}
	return Custom
}

// newAdapter builds the adapter of s, whose config is finished and checked.
func (e *Executor) newAdapter(s Spec) (adapter, error) {
	k, ok := kinds[s.Kind]
	if !ok || !k.Serves(use(s)) {
		return nil, fmt.Errorf("kind %q cannot carry out %s", s.Kind, s.Action)
	}
	return k.newAdapter(e, s)
}

// newHTTP is the part every HTTP kind shares: the url and the body
// template.
func newHTTP(e *Executor, s Spec) (httpAdapter, error) {
	h := httpAdapter{e: e, cfg: s.cfg, spec: s, base: strings.TrimRight(s.cfg.URL, "/")}
	if u, err := url.Parse(h.base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return h, fmt.Errorf("url %q: want http(s)://host[/path]", audit.SafeURL(h.base))
	}
	t, err := parseBody(s.cfg.Body)
	if err != nil {
		return h, err
	}
	h.body = t
	return h, nil
}

// pipelines are what a kind that starts a run serves.
var pipelines = []string{Retrain, Custom}
