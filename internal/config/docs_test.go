package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// docs/config.md is the reference of every key; these tests keep it whole.

func readDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "config.md"))
	if err != nil {
		t.Fatalf("read the config reference: %v", err)
	}
	return string(b)
}

// keyNames lists every key name a config file can hold.
func keyNames(t reflect.Type, into map[string]bool) {
	switch t.Kind() {
	case reflect.Struct:
		fs := fieldsOf(reflect.New(t).Elem())
		for _, name := range fs.names {
			into[name] = true
			keyNames(t.FieldByIndex(fs.byName[name].index).Type, into)
		}
	case reflect.Slice, reflect.Map:
		keyNames(t.Elem(), into)
	}
}

func TestDocNamesEveryKey(t *testing.T) {
	doc := readDoc(t)
	names := map[string]bool{}
	keyNames(reflect.TypeFor[Config](), names)
	// Each action kind's own keys, as registered (config_test links them).
	for _, kind := range ActionKindNames("") {
		if p := actionKinds[kind].NewParams(); p != nil {
			keyNames(reflect.TypeOf(p).Elem(), names)
		}
	}
	if len(names) < 50 {
		t.Fatalf("found only %d key names; the walk is broken", len(names))
	}
	for name := range names {
		// Nested keys are written as paths in tables (`basic_auth.username`).
		if !strings.Contains(doc, "`"+name+"`") && !strings.Contains(doc, "."+name+"`") && !strings.Contains(doc, "`"+name+".") {
			t.Errorf("docs/config.md does not document key %q", name)
		}
	}
}

func TestDocListsTheMltopProfile(t *testing.T) {
	doc := readDoc(t)
	for _, q := range mltopProfile {
		row := "| `" + q.Role + "` | `" + q.Expr + "` |"
		if !strings.Contains(doc, row) {
			t.Errorf("docs/config.md lacks the row %s", row)
		}
	}
}

func TestDocNamesEveryActionKind(t *testing.T) {
	doc := readDoc(t)
	kinds := ActionKindNames("")
	if len(kinds) < 7 {
		t.Fatalf("only %d action kinds registered: %v", len(kinds), kinds)
	}
	for _, kind := range kinds {
		if !strings.Contains(doc, "| `"+kind+"` |") {
			t.Errorf("docs/config.md has no row for action kind %s", kind)
		}
	}
}
