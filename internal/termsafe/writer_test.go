package termsafe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile holds what a server may send to act on the viewer's terminal.
var hostile = []string{
	"\x1b[2J\x1b[31mred",                          // CSI: clear screen, colour
	"\x1b]52;c;cHduZWQ=\x07",                      // OSC 52: write the clipboard
	"\x1b]0;pwned\x1b\\",                          // OSC 0: window title
	"\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", // OSC 8 hyperlink
	"bell\x07", "cr\roverwrite", "nl\nFORGED line",
	"c1\u009b2J\u009d0;t\u009c", "bidi\u202etxt.exe", "iso\u2066x\u2069", "bom\ufeff", "ls\u2028ps\u2029",
	"del\x7f", "nul\x00", "bad utf8 \x9b\xff",
}

// acts reports a byte or character a terminal would act on, other than
// newline and tab.
func acts(s string) (rune, bool) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return r, true
		}
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || Invisible(r) || r == 0x2028 || r == 0x2029 {
			return r, true
		}
	}
	return 0, false
}

func TestWriterDropsWhatActs(t *testing.T) {
	for _, h := range hostile {
		var b bytes.Buffer
		w := NewWriter(&b)
		in := "before " + h + " after\n\tindented\n"
		if n, err := w.Write([]byte(in)); n != len(in) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
		if r, bad := acts(b.String()); bad {
			t.Errorf("%q passed %U: %q", h, r, b.String())
		}
		if !strings.HasPrefix(b.String(), "before ") || !strings.HasSuffix(b.String(), " after\n\tindented\n") {
			t.Errorf("%q: lost the text around it: %q", h, b.String())
		}
	}
	plain := "plain text, évaluation ✔ 50ms · 5%\n\tok\n"
	var b bytes.Buffer
	_, _ = NewWriter(&b).Write([]byte(plain))
	if b.String() != plain {
		t.Errorf("plain text changed: %q", b.String())
	}
}

// TestWriterSplitCharacter: a character cut between two writes is kept
// whole, and one cut between writes is still dropped when it acts.
func TestWriterSplitCharacter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	for _, s := range []string{"a ✔"[:3], "a ✔"[3:], " \u202e"[:2], " \u202e"[2:], "z"} {
		_, _ = w.Write([]byte(s))
	}
	if b.String() != "a ✔ z" {
		t.Errorf("got %q, want %q", b.String(), "a ✔ z")
	}
}

func TestFprintfCleansArguments(t *testing.T) {
	var b strings.Builder
	type state string
	err := errors.New("boom\x1b]52;c;eA==\x07\nFORGED")
	Fprintf(&b, "%s|%v|%-8s|%s|%d\n", "a\x1b[31mb", err, state("ok\u202e"), []string{"x\ny", "z"}, 7)
	if got, want := b.String(), "ab|boom FORGED|ok      |[x y z]|7\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	b.Reset()
	Fprintf(&b, "not %q\n", "\x1b[2J\u202e")
	if got, want := b.String(), `not "\x1b[2J\u202e"`+"\n"; got != want {
		t.Errorf("%%q: got %q, want %q", got, want)
	}
	b.Reset()
	Fprintf(&b, "mltop: %v\n", Lines("a.yaml:1: x\x1b[31m\na.yaml:2: y"))
	if got, want := b.String(), "mltop: a.yaml:1: x\na.yaml:2: y\n"; got != want {
		t.Errorf("Lines: got %q, want %q", got, want)
	}
	b.Reset()
	Fprintln(&b, "run", "id\x07")
	if b.String() != "run id\n" {
		t.Errorf("Fprintln: %q", b.String())
	}
}

// TestJSONKeepsTheText: the escaped JSON decodes to the original string,
// and nothing in it acts on a terminal; plain JSON is left byte for byte.
func TestJSONKeepsTheText(t *testing.T) {
	for _, h := range hostile {
		var b bytes.Buffer
		enc := NewJSONEncoder(&b)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]string{"v": h}); err != nil {
			t.Fatal(err)
		}
		if r, bad := acts(b.String()); bad {
			t.Errorf("%q: JSON carries %U: %q", h, r, b.String())
		}
		var back map[string]string
		if err := json.Unmarshal(b.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		if want := string([]rune(h)); back["v"] != want { // each invalid byte becomes U+FFFD
			t.Errorf("%q came back as %q", want, back["v"])
		}
	}
	plain, _ := json.Marshal(map[string]any{"name": "évaluation ✔ <b>", "n": 1.5})
	if got := JSON(plain); !bytes.Equal(got, plain) {
		t.Errorf("plain JSON changed: %s", got)
	}
}

func ExampleFprintf() {
	Fprintf(stdout{}, "run %s\n", "abc\x1b]0;pwned\x07")
	// Output: run abc
}

type stdout struct{}

func (stdout) Write(p []byte) (int, error) { return fmt.Print(string(p)) }
