package histdrift

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocExampleIsAProfile keeps the tag format's example in docs/drift.md
// a profile mltop accepts.
func TestDocExampleIsAProfile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "drift.md"))
	if err != nil {
		t.Fatalf("read docs/drift.md: %v", err)
	}
	doc := string(b)
	i := strings.Index(doc, "```json\n")
	if i < 0 {
		t.Fatal("docs/drift.md has no json example")
	}
	rest := doc[i+len("```json\n"):]
	j := strings.Index(rest, "```")
	if j < 0 {
		t.Fatal("unterminated json example")
	}
	p, err := ParseProfile([]byte(rest[:j]))
	if err != nil {
		t.Fatalf("the example is not a valid profile: %v", err)
	}
	for _, f := range []string{"tenure", "plan", "__prediction__"} {
		if _, ok := p.Features[f]; !ok {
			t.Errorf("example lacks %s", f)
		}
	}
}
