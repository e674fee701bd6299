package fleet

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSnapshotDocNamesEveryField keeps docs/snapshot.md, the JSON contract
// scripts rely on, in step with what MarshalJSON writes: every field of
// every object must be named there.
func TestSnapshotDocNamesEveryField(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "snapshot.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(ty reflect.Type, path string) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice || ty.Kind() == reflect.Map {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] {
			return
		}
		seen[ty] = true
		for i := range ty.NumField() {
			f := ty.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			if !strings.Contains(doc, "`"+name+"`") {
				t.Errorf("docs/snapshot.md does not name %s.%s", path, name)
			}
			walk(f.Type, path+"."+name)
		}
	}
	walk(reflect.TypeFor[snapshotJSON](), "snapshot")
	if len(seen) < 10 {
		t.Fatalf("walked only %d object types: the DTOs moved?", len(seen))
	}
}
