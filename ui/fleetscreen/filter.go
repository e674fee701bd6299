package fleetscreen

import (
	"fmt"
	"regexp"
	"strings"
)

// filter is a parsed query: every term must match a model.
type filter struct {
	query string
	terms []term
}

// term is one space-separated part of a query.
type term struct {
	negate   bool
	re       *regexp.Regexp // regex term
	tagKey   string         // tag term: key=value, exact
	tagValue string
	sub      string // substring term (lower-cased)
}

// regexMeta are the characters that make a bare term a regex, if it compiles.
const regexMeta = `.*+?()[]{}|^$\`

// parseFilter turns a query into a filter. Terms: a substring of the name,
// a version or a tag value (case-insensitive); /regex/ or a term with regex
// metacharacters that compiles; key=value for an exact tag; a leading !
// negates. Only an explicit /regex/ that does not compile is an error.
func parseFilter(q string) (filter, error) {
	f := filter{query: strings.TrimSpace(q)}
	for _, raw := range strings.Fields(f.query) {
		t := term{}
		if strings.HasPrefix(raw, "!") {
			t.negate, raw = true, raw[1:]
		}
		if raw == "" {
			continue
		}
		switch {
		case len(raw) >= 2 && strings.HasPrefix(raw, "/") && strings.HasSuffix(raw, "/"):
			re, err := regexp.Compile("(?i)" + raw[1:len(raw)-1])
			if err != nil {
				return filter{}, fmt.Errorf("filter %s: bad regular expression: %w", raw, err)
			}
			t.re = re
		case isTagTerm(raw):
			k, v, _ := strings.Cut(raw, "=")
			t.tagKey, t.tagValue = strings.ToLower(k), strings.ToLower(v)
		case strings.ContainsAny(raw, regexMeta):
			if re, err := regexp.Compile("(?i)" + raw); err == nil {
				t.re = re
			} else {
				t.sub = strings.ToLower(raw)
			}
		default:
			t.sub = strings.ToLower(raw)
		}
		f.terms = append(f.terms, t)
	}
	return f, nil
}

// isTagTerm reports whether raw reads key=value with a plain key.
func isTagTerm(raw string) bool {
	k, _, ok := strings.Cut(raw, "=")
	return ok && k != "" && !strings.ContainsAny(k, regexMeta)
}

func (f *filter) active() bool { return len(f.terms) > 0 }

func (f *filter) match(e *entry) bool {
	for i := range f.terms {
		if f.terms[i].match(e) == f.terms[i].negate {
			return false
		}
	}
	return true
}

func (t *term) match(e *entry) bool {
	switch {
	case t.tagKey != "":
		for i := 0; i+1 < len(e.tags); i += 2 {
			if e.tags[i] == t.tagKey {
				return e.tags[i+1] == t.tagValue
			}
		}
		return false
	case t.re != nil:
		for _, s := range e.search {
			if t.re.MatchString(s) {
				return true
			}
		}
		return false
	default:
		for _, s := range e.search {
			if strings.Contains(s, t.sub) {
				return true
			}
		}
		return false
	}
}
