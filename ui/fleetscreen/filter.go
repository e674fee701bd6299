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
	// health matches the model's health (health=critical, or a bare
	// health word: !ok); track matches a serving version's track
	// (track=canary). A tag of the same name matches too.
	health string
	track  string
}

// healthWords are the health verdicts a bare term names: "!ok" is every
// model that is not healthy, not every name without "ok" in it.
var healthWords = map[string]bool{"ok": true, "warn": true, "critical": true, "unknown": true}

// regexMeta are the characters that make a bare term a regex, if it compiles.
const regexMeta = `.*+?()[]{}|^$\`

// parseFilter turns a query into a filter. Terms: a substring of the name,
// a version or a tag value (case-insensitive); /regex/ or a term with regex
// metacharacters that compiles; health=ok|warn|critical|unknown (or the
// bare word) for the model's health; track=stable|canary|shadow for a
// serving version's track; key=value for an exact tag; a leading !
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
		case healthWords[strings.ToLower(raw)]:
			t.health = strings.ToLower(raw)
		case isTagTerm(raw):
			k, v, _ := strings.Cut(raw, "=")
			t.tagKey, t.tagValue = strings.ToLower(k), strings.ToLower(v)
			switch t.tagKey {
			case "health":
				if !healthWords[t.tagValue] {
					return filter{}, fmt.Errorf("filter %s: health is ok, warn, critical or unknown", raw)
				}
				t.health = t.tagValue
			case "track":
				t.track = t.tagValue
			}
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
	case t.health != "" && e.m.Health.Status.String() == t.health:
		return true
	case t.track != "" && servesOnTrack(e, t.track):
		return true
	case t.tagKey != "":
		return tagIs(e, t.tagKey, t.tagValue)
	case t.health != "":
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

// tagIs reports whether the model's tag key has exactly the value v.
func tagIs(e *entry, key, v string) bool {
	for i := 0; i+1 < len(e.tags); i += 2 {
		if e.tags[i] == key {
			return e.tags[i+1] == v
		}
	}
	return false
}

// servesOnTrack reports whether a serving version of the model is on track.
func servesOnTrack(e *entry, track string) bool {
	for _, vi := range e.versions {
		if strings.EqualFold(e.m.Versions[vi].Track, track) {
			return true
		}
	}
	return false
}
