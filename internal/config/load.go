package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads and validates the config file at path, with the environment
// read from the process.
func Load(path string) (*Config, error) { return LoadEnv(path, os.Getenv) }

// LoadEnv is Load with the environment read through getenv.
func LoadEnv(path string, getenv func(string) string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return ParseEnv(path, data, getenv)
}

// Parse decodes and validates a config file's contents; name is used in
// error messages. An empty document gives the defaults. On failure the error
// is an Errors listing every problem.
func Parse(name string, data []byte) (*Config, error) { return ParseEnv(name, data, os.Getenv) }

// ParseEnv is Parse with the environment read through getenv.
func ParseEnv(name string, data []byte, getenv func(string) string) (*Config, error) {
	getenv = envOrEmpty(getenv)
	c := defaults()
	c.src = source{file: name, lines: map[string]int{}}

	root, err := parseYAML(c.src, data)
	if err != nil {
		return nil, Errors{err}
	}
	d := &decoder{src: c.src}
	var top, contexts *yaml.Node
	if root != nil {
		switch n := resolve(root); {
		case isNull(n):
		case n.Kind != yaml.MappingNode:
			d.fail(n, "", "the file must be a mapping of keys (refresh:, prometheus:, ...), got %s", describe(n))
		default:
			top, contexts = d.splitContexts(n)
			d.decode(top, "", reflect.ValueOf(c).Elem(), false)
		}
	}
	if d.spent() {
		return nil, d.errs.sorted() // half-decoded: checking it would only add noise
	}
	finish(c, getenv)
	errs := append(d.errs, validate(c)...)
	errs = append(errs, c.readContexts(d, top, contexts, getenv, errs)...)
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	return c, nil
}

// yamlLine pulls the line number out of go-yaml's syntax error text, which
// is the only place it is given.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML returns the content of the file's only document, or nil when
// the file is empty or holds only comments.
func parseYAML(src source, data []byte) (*yaml.Node, *Error) {
	if err := checkUTF8(src, data); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, syntaxError(src, data, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, &Error{File: src.name(), Line: next.Line, Msg: "a config file holds one YAML document; found a second one"}
	case !errors.Is(err, io.EOF):
		return nil, syntaxError(src, data, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

func syntaxError(src source, data []byte, err error) *Error {
	text := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		text = m[2]
	}
	switch {
	case isParserProblem(text):
		// go-yaml prints the parser's marks 0-based (its scanner's 1-based),
		// and omits a 0; the mark is where the unfinished block began.
		line++
	case line == 0 && !isAnchorProblem(text):
		line = 1 // a scanner problem on the first line
	}
	// A problem found at the end of the stream is on the last line written.
	if last := bytes.Count(bytes.TrimRight(data, "\n"), []byte("\n")) + 1; line > last {
		line = last
	}
	return &Error{File: src.name(), Line: line, Msg: "YAML syntax error: " + text}
}

func isParserProblem(text string) bool {
	return strings.HasPrefix(text, "did not find expected") ||
		strings.HasPrefix(text, "found duplicate %") ||
		text == "found incompatible YAML document" ||
		text == "found undefined tag handle"
}

// isAnchorProblem matches errors about aliases, which carry no position.
func isAnchorProblem(text string) bool {
	return strings.HasPrefix(text, "unknown anchor") ||
		strings.HasPrefix(text, "anchor ") ||
		strings.Contains(text, "excessive aliasing")
}
