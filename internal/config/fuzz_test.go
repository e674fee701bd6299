package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/config"
)

// FuzzParse checks that no input panics and that every failure is reported
// in the FILE:... form.
func FuzzParse(f *testing.F) {
	spec, err := os.ReadFile(filepath.Join("testdata", "spec-example.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(spec), "", "refresh: fast", "a: [", "- 1", "x: &a [*a]",
		"prometheus: {queries: {error_ratio: 'sum(('}}", "serve: {users: [~, {name: a}]}",
		"actions: {custom: [{key: \"\\u0007\"}]}", "drift: {thresholds: {ks: .nan}}",
		"contexts: {a: {prometheus: {url: x}}, all: 1, b: ~}", "current_context: q\ncontexts: {q: {color: red, serve: 1, actions: {retrain: {kind: webhook}}}}",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := config.ParseEnv("f.yaml", []byte(src), noEnv)
		if (c == nil) == (err == nil) {
			t.Fatalf("want exactly one of config and error, got %v and %v", c, err)
		}
		if err == nil {
			if _, err := c.Queries(); err != nil {
				t.Fatalf("a loaded config cannot render its queries: %v", err)
			}
			return
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !strings.HasPrefix(line, "f.yaml") {
				t.Fatalf("error line %q does not start with the file name", line)
			}
		}
	})
}
