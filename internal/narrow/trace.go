package narrow

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// Source follows the label_replace calls from the query's root down to a
// selector (path, as parser.Inspect gives it) and returns the selector's
// label that the result's label is copied from: label itself, or, where a
// profile copies it (label_replace(..., "model", "$1", "model_name",
// "(.*)")), model_name. A label set to a constant, rewritten or joined is
// an error: no one selector label gives it as it is.
func Source(path []parser.Node, label string) (string, error) {
	m, err := trace(path, label, nil)
	if err != nil {
		return "", err
	}
	return m.Name, nil
}

// matcher is the matcher on a selector (path) that keeps the series whose
// label ends up as value at the query's root. Besides copies it follows
// one rewrite of a placeholder into a constant (label_replace(..., "version",
// "", "version", "default")): version="" then reads
// model_version=~"default|", and "default" itself, which no result carries,
// is an error.
func matcher(path []parser.Node, label, value string) (*labels.Matcher, error) {
	return trace(path, label, &value)
}

// trace walks path root first. The condition on the current label is an
// equality with value until a rewrite turns it into a regular expression;
// with value nil only copies are followed.
func trace(path []parser.Node, label string, value *string) (*labels.Matcher, error) {
	typ, pattern := labels.MatchEqual, ""
	if value != nil {
		pattern = *value
	}
	for _, n := range path {
		c, ok := n.(*parser.Call)
		if !ok || c.Func == nil {
			continue
		}
		switch c.Func.Name {
		case "label_replace":
			args := make([]string, 0, 4)
			for _, a := range c.Args[1:] {
				if s, ok := a.(*parser.StringLiteral); ok {
					args = append(args, s.Val)
				}
			}
			if len(args) != 4 || args[0] != label {
				continue
			}
			dst, repl, src, regex := args[0], args[1], args[2], args[3]
			switch {
			case repl == "$1" && regex == "(.*)" && src != "" && src != dst:
				label = src
			case value != nil && typ == labels.MatchEqual && src == dst && !strings.Contains(repl, "$"):
				var err error
				if typ, pattern, err = unmap(dst, pattern, repl, regex); err != nil {
					return nil, err
				}
			default:
				return nil, fmt.Errorf("its %s label is set by label_replace(..., %q, %q, %q, %q), not copied from one label", dst, dst, repl, src, regex)
			}
		case "label_join":
			if s, ok := c.Args[1].(*parser.StringLiteral); ok && s.Val == label {
				return nil, fmt.Errorf("its %s label is joined from several labels", label)
			}
		}
	}
	return labels.NewMatcher(typ, label, pattern)
}

// unmap inverts label_replace(..., label, to, label, regex), which writes
// the constant to where label fully matches regex, for the result value:
// the values before it that end up as value.
func unmap(label, value, to, regex string) (labels.MatchType, string, error) {
	re, err := regexp.Compile("^(?:" + regex + ")$")
	if err != nil {
		return 0, "", fmt.Errorf("its %s label is rewritten where it matches %q: %w", label, regex, err)
	}
	kept := !re.MatchString(value)
	switch {
	case to == value && kept:
		return labels.MatchRegexp, regex + "|" + regexp.QuoteMeta(value), nil
	case to == value:
		return labels.MatchRegexp, regex, nil
	case kept:
		return labels.MatchEqual, value, nil
	}
	return 0, "", fmt.Errorf("no series has %s %q: the query rewrites it to %q", label, value, to)
}
