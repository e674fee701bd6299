package config

import (
	"fmt"
	"strconv"
	"strings"
)

// source remembers the file a config came from and the line of every key
// written in it, so problems found later still point at the file.
type source struct {
	file  string
	lines map[string]int // "prometheus.queries.error_ratio" -> line
	// context is the context a context's Config was read for, own the
	// keys written in that context and top the top level's keys it kept
	// (lines holds both): a problem with a key of own, or below one, is
	// named contexts.NAME.KEY, one with a key of top is the top level's.
	context string
	own     map[string]int
	top     map[string]int
}

// has reports whether key was written in the file (with a non-null value).
func (s source) has(key string) bool {
	_, ok := s.lines[key]
	return ok
}

// hasUnder reports whether any key below prefix was written.
func (s source) hasUnder(prefix string) bool {
	for k := range s.lines {
		if strings.HasPrefix(k, prefix+".") {
			return true
		}
	}
	return false
}

// line returns the line of key, or of its nearest written parent, or 0.
func (s source) line(key string) int {
	for key != "" {
		if l, ok := s.lines[key]; ok {
			return l
		}
		key = parentKey(key)
	}
	return 0
}

func (s source) errorf(key, format string, args ...any) *Error {
	return s.relabel(&Error{File: s.name(), Line: s.line(key), Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (s source) name() string {
	if s.file == "" {
		return "config"
	}
	return s.file
}

// parentKey strips the last ".name" or "[i]" from key.
func parentKey(key string) string {
	i := strings.LastIndexAny(key, ".[")
	if i < 0 {
		return ""
	}
	return key[:i]
}

func joinKey(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

func indexKey(parent string, i int) string {
	return parent + "[" + strconv.Itoa(i) + "]"
}

// Where returns "FILE:LINE" for key as written in the config file, or the
// file name alone when the key was not written ("" for a config not loaded
// from a file).
func (c *Config) Where(key string) string {
	if c.src.file == "" {
		return ""
	}
	if l := c.src.line(key); l > 0 {
		return c.src.file + ":" + strconv.Itoa(l)
	}
	return c.src.file
}

// Errorf reports a problem with key in the same FILE:LINE: KEY: message form
// as the loader, for checks made outside this package (a theme name, say).
func (c *Config) Errorf(key, format string, args ...any) error {
	return c.src.errorf(key, format, args...)
}
