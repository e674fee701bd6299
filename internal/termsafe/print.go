package termsafe

import (
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Fprintf is fmt.Fprintf for a terminal: the format is mltop's own text
// and kept as is; every string argument (an error, a named string type,
// a []string) is cleaned of controls and line breaks first, so a value
// from a server can neither act on the terminal nor forge a line. A %q
// argument is quoted as Go does instead, which escapes what Clean would
// drop. The result passes the Writer filter on its way out.
func Fprintf(w io.Writer, format string, args ...any) {
	_ = WriteText(w, fmt.Sprintf(format, safeArgs(args)...))
}

// Fprintln is fmt.Fprintln with the arguments cleaned as Fprintf does.
func Fprintln(w io.Writer, args ...any) {
	_ = WriteText(w, fmt.Sprintln(safeArgs(args)...))
}

// Lines is text of several lines, each cleaned, the breaks between them
// kept: a config file's list of problems, one per line.
type Lines string

// Format prints each line cleaned.
func (l Lines) Format(f fmt.State, verb rune) {
	lines := strings.Split(string(l), "\n")
	for i := range lines {
		lines[i] = Clean(lines[i])
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), strings.Join(lines, "\n"))
}

// safe is a string argument, cleaned as it is formatted.
type safe string

func (s safe) Format(f fmt.State, verb rune) {
	if verb == 'q' && !f.Flag('#') {
		// strconv quoting escapes every control and format character.
		fmt.Fprintf(f, fmt.FormatString(f, verb), string(s))
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), Clean(string(s)))
}

func safeArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = safeArg(a)
	}
	return out
}

func safeArg(a any) any {
	switch v := a.(type) {
	case nil, Lines, safe:
		return a
	case string:
		return safe(v)
	case error:
		return safe(v.Error())
	case []string:
		s := make([]safe, len(v))
		for i := range v {
			s[i] = safe(v[i])
		}
		return s
	}
	if rv := reflect.ValueOf(a); rv.Kind() == reflect.String {
		if st, ok := a.(fmt.Stringer); ok {
			return safe(st.String())
		}
		return safe(rv.String())
	}
	return a
}
