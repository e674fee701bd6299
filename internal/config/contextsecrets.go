package config

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
)

// endpoint is a key naming a server, with the keys of the secrets sent to
// it.
type endpoint struct {
	url     string
	secrets []string
}

func endpoints() []endpoint {
	var out []endpoint
	for _, k := range []string{"prometheus", "alertmanager"} {
		out = append(out, endpoint{k + ".url", []string{k + ".bearer_token_file", k + ".basic_auth.password_file", k + ".headers"}})
	}
	for _, a := range actionKeys {
		out = append(out, endpoint{a + ".url", []string{a + ".token_file", a + ".headers"}},
			endpoint{a + ".kubernetes.server", []string{a + ".kubernetes.token_file"}})
	}
	return out
}

// secretsElsewhere warns of each server a context moved to another host
// while it keeps the top level's secrets for it: a token written for one
// server would be sent to another, unnoticed.
func secretsElsewhere(top, cc *Config) []string {
	var out []string
	for _, ep := range endpoints() {
		line, wrote := cc.src.own[ep.url]
		if !wrote {
			continue
		}
		was, now := hostOf(stringAt(top, ep.url)), hostOf(stringAt(cc, ep.url))
		if was == "" || now == "" || strings.EqualFold(was, now) {
			continue
		}
		var kept, unset []string
		for _, s := range ep.secrets {
			for _, k := range inheritedSecrets(cc, s) {
				kept = append(kept, fmt.Sprintf("%s (line %d)", k, cc.src.top[k]))
				if u := unsetHint(s); !slices.Contains(unset, u) {
					unset = append(unset, u)
				}
			}
		}
		if len(kept) == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("%s:%d: contexts.%s.%s: host %s is not the top level's (%s), yet the context keeps the top level's %s: secrets written for %s would be sent to %s; write the context's own, or unset them in the context (%s)",
			cc.src.name(), line, cc.src.context, ep.url, now, was, strings.Join(kept, ", "), was, now, strings.Join(unset, ", ")))
	}
	return out
}

// inheritedSecrets are the keys at key (a header's, below headers) the
// context keeps from the top level with a value.
func inheritedSecrets(cc *Config, key string) []string {
	var out []string
	if strings.HasSuffix(key, ".headers") {
		for k := range cc.src.top {
			name, ok := strings.CutPrefix(k, key+".")
			if ok && secretHeader(name) && stringAt(cc, k) != "" {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	if _, ok := cc.src.top[key]; ok && stringAt(cc, key) != "" {
		out = append(out, key)
	}
	return out
}

// secretHeader reports whether a header's name says it carries a
// credential (Authorization, X-Api-Key, Cookie, ...).
func secretHeader(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"auth", "token", "key", "secret", "cookie", "password", "session"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// unsetHint is how a context unsets the secret at key.
func unsetHint(key string) string {
	switch name := key[strings.LastIndex(key, ".")+1:]; {
	case name == "headers":
		return "headers: {}"
	case strings.HasSuffix(key, "basic_auth.password_file"):
		return "basic_auth: {}"
	default:
		return name + `: ""`
	}
}

func hostOf(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// stringAt is the string at key in c ("prometheus.url",
// "actions.rollout.kubernetes.token_file", "prometheus.headers.X-Token"),
// or "": a key of an action's kind is found in its params, and what
// follows a map's key is the entry's name whole.
func stringAt(c *Config, key string) string {
	v := reflect.ValueOf(c).Elem()
	for key != "" {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				return ""
			}
			v = v.Elem()
		case reflect.Map:
			v, key = v.MapIndex(reflect.ValueOf(key)), ""
			if !v.IsValid() {
				return ""
			}
		case reflect.Struct:
			name, rest, _ := strings.Cut(key, ".")
			fs := fieldsOf(v)
			f, ok := fs.byName[name]
			switch {
			case ok:
				v, key = v.FieldByIndex(f.index), rest
			case fs.params != nil:
				v = v.FieldByIndex(fs.params)
			default:
				return ""
			}
		default:
			return ""
		}
	}
	if v.Kind() == reflect.String {
		return v.String()
	}
	return ""
}
