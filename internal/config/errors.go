package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/mltop/mltop/internal/human"
)

// Error is one problem in a config file.
type Error struct {
	File string
	Line int    // 0 when the problem has no single line
	Key  string // dotted path such as "serve.users[1].role"; "" for the file as a whole
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one file, in file order, one per line
// when printed.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As reach each *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// maxErrors is how many problems are worth listing; past it the file is
// likely not a config at all.
const maxErrors = 100

// sorted orders problems by line, keeping discovery order within a line;
// problems without a line go last.
func (es Errors) sorted() Errors {
	sort.SliceStable(es, func(i, j int) bool {
		li, lj := es[i].Line, es[j].Line
		if li == 0 || lj == 0 {
			return li != 0 && lj == 0
		}
		return li < lj
	})
	if len(es) > maxErrors {
		file := es[0].File
		es = append(es[:maxErrors:maxErrors], &Error{File: file, Msg: "too many problems; fix these first"})
	}
	return es
}

// suggest returns the candidate closest to word when it is close enough to be
// a likely typo, else "".
func suggest(word string, candidates []string) string {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "-", "_") }
	w := norm(word)
	best, bestDist := "", -1
	for _, c := range candidates {
		d := human.EditDistance(w, norm(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(1, min(3, len([]rune(w))/3))
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return best
}

// unknownMsg says what is wrong with an unknown name: a likely intended name,
// or the full list when nothing is close.
func unknownMsg(what, name string, known []string, quote bool) string {
	prefix := "unknown " + what
	if quote {
		prefix += fmt.Sprintf(" %q", name)
	}
	if s := suggest(name, known); s != "" {
		return fmt.Sprintf("%s (did you mean %q?)", prefix, s)
	}
	return fmt.Sprintf("%s (known: %s)", prefix, strings.Join(known, ", "))
}
