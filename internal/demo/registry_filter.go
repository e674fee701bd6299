package demo

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// cond is one comparison of a search filter: key op value(s).
type cond struct {
	key    string // "name", "tags.<key>", "version_number", "run_id", "source_path"
	op     string // "=", "!=", "<", "<=", ">", ">=", "LIKE", "ILIKE", "IN"
	values []string
}

type token struct {
	kind string // word, str, op, punct
	text string
}

func tokenize(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return nil, fmt.Errorf("unterminated string starting at %d", i)
			}
			out = append(out, token{"str", s[i+1 : i+1+end]})
			i += end + 2
		case c == '`':
			end := strings.IndexByte(s[i+1:], '`')
			if end < 0 {
				return nil, fmt.Errorf("unterminated identifier starting at %d", i)
			}
			word := s[i+1 : i+1+end]
			// tags.`key with spaces`: glue onto the preceding "tags."
			if n := len(out); n > 0 && out[n-1].kind == "word" && strings.HasSuffix(out[n-1].text, ".") {
				out[n-1].text += word
			} else {
				out = append(out, token{"word", word})
			}
			i += end + 2
		case c == '(' || c == ')' || c == ',':
			out = append(out, token{"punct", string(c)})
			i++
		case strings.ContainsRune("=!<>", rune(c)):
			j := i + 1
			if j < len(s) && (s[j] == '=' || (c == '<' && s[j] == '>')) {
				j++
			}
			op := s[i:j]
			if op == "!" {
				return nil, fmt.Errorf("unexpected '!' at %d", i)
			}
			if op == "<>" {
				op = "!="
			}
			out = append(out, token{"op", op})
			i = j
		default:
			j := i
			for j < len(s) && (isWordChar(rune(s[j]))) {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("unexpected character %q at %d", c, i)
			}
			out = append(out, token{"word", s[i:j]})
			i = j
		}
	}
	return out, nil
}

func isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.' || r == '-' || r == '%'
}

// parseFilter parses an MLflow search filter: comparisons joined by AND.
// attrs are the attribute keys the endpoint accepts besides tags.*.
func parseFilter(filter string, attrs []string) ([]cond, error) {
	if strings.TrimSpace(filter) == "" {
		return nil, nil
	}
	toks, err := tokenize(filter)
	if err != nil {
		return nil, invalidParam("Error parsing filter '%s': %v", filter, err)
	}
	var out []cond
	for i := 0; i < len(toks); {
		if len(out) > 0 {
			if !strings.EqualFold(toks[i].text, "AND") || toks[i].kind != "word" {
				return nil, invalidParam("Invalid filter '%s': expected AND, got '%s'", filter, toks[i].text)
			}
			i++
		}
		c, n, err := parseCond(toks[i:], attrs)
		var apiErr *apiError
		if errors.As(err, &apiErr) {
			return nil, apiErr
		}
		if err != nil {
			return nil, invalidParam("Invalid filter '%s': %v", filter, err)
		}
		out = append(out, c)
		i += n
	}
	return out, nil
}

func parseCond(toks []token, attrs []string) (cond, int, error) {
	if len(toks) < 3 || toks[0].kind != "word" {
		return cond{}, 0, fmt.Errorf("incomplete comparison")
	}
	key := toks[0].text
	lower := strings.ToLower(key)
	for _, prefix := range []string{"attributes.", "attribute.", "attr."} {
		lower = strings.TrimPrefix(lower, prefix)
	}
	switch {
	case strings.HasPrefix(lower, "tags.") || strings.HasPrefix(lower, "tag."):
		key = "tags." + key[strings.IndexByte(key, '.')+1:]
	case slices.Contains(attrs, lower):
		key = lower
	default:
		return cond{}, 0, invalidParam("Invalid attribute key '%s' specified. Valid keys are '{%s}'", toks[0].text, quoteList(attrs))
	}
	op := strings.ToUpper(toks[1].text)
	switch {
	case toks[1].kind == "op":
	case toks[1].kind == "word" && (op == "LIKE" || op == "ILIKE" || op == "IN"):
	default:
		return cond{}, 0, fmt.Errorf("invalid comparator '%s'", toks[1].text)
	}
	if op != "IN" {
		v := toks[2]
		if v.kind != "str" && (v.kind != "word" || key != "version_number") {
			return cond{}, 0, fmt.Errorf("expected a quoted string value for '%s'", key)
		}
		return cond{key, op, []string{v.text}}, 3, nil
	}
	if toks[2].text != "(" {
		return cond{}, 0, fmt.Errorf("IN needs a parenthesised list")
	}
	c := cond{key: key, op: op}
	for i := 3; i < len(toks); i++ {
		switch t := toks[i]; {
		case t.text == ")" && t.kind == "punct":
			return c, i + 1, nil
		case t.text == "," && t.kind == "punct":
		case t.kind == "str" || t.kind == "word":
			c.values = append(c.values, t.text)
		default:
			return cond{}, 0, fmt.Errorf("unexpected '%s' in IN list", t.text)
		}
	}
	return cond{}, 0, fmt.Errorf("unterminated IN list")
}

func quoteList(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = "'" + k + "'"
	}
	return strings.Join(q, ", ")
}

// match evaluates one condition against a value (present=false when a
// tag is missing). A missing tag matches only "!=": MLflow's own client
// hides prompts with tag.`mlflow.prompt.is_prompt` != 'true', which must
// keep every model that lacks the tag.
func (c cond) match(value string, present bool) bool {
	if !present {
		return c.op == "!="
	}
	want := c.values[0]
	switch c.op {
	case "=":
		return value == want
	case "!=":
		return value != want
	case "LIKE":
		return like(want, value, false)
	case "ILIKE":
		return like(want, value, true)
	case "IN":
		return slices.Contains(c.values, value)
	}
	// Ordering comparisons: numeric where both sides are numbers.
	a, errA := strconv.ParseFloat(value, 64)
	b, errB := strconv.ParseFloat(want, 64)
	cmp := strings.Compare(value, want)
	if errA == nil && errB == nil {
		cmp = 0
		if a < b {
			cmp = -1
		} else if a > b {
			cmp = 1
		}
	}
	switch c.op {
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	case ">":
		return cmp > 0
	case ">=":
		return cmp >= 0
	}
	return false
}

// like implements SQL LIKE: % matches any run, _ any one character.
func like(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	p, t := []rune(pattern), []rune(s)
	// Classic wildcard matching with backtracking on the last %.
	pi, ti, star, mark := 0, 0, -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '_' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '%':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}
