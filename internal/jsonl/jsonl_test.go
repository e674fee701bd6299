package jsonl

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLinesSaysWhereToPickUp(t *testing.T) {
	in := "a\n\n  \nb\ntorn"
	var got []string
	var ends []bool
	n, err := Lines(strings.NewReader(in), func(line []byte, terminated bool) error {
		got = append(got, string(line))
		ends = append(ends, terminated)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []string{"a", "b", "torn"}) || !reflect.DeepEqual(ends, []bool{true, true, false}) {
		t.Errorf("lines %q terminated %v", got, ends)
	}
	if n != int64(len("a\n\n  \nb\n")) {
		t.Errorf("consumed %d, want up to the last newline (%d)", n, len("a\n\n  \nb\n"))
	}
}

func TestLinesCutsLongLines(t *testing.T) {
	long := strings.Repeat("x", MaxLine+100)
	var lens []int
	n, err := Lines(strings.NewReader(long+"\nok\n"), func(line []byte, _ bool) error {
		lens = append(lens, len(line))
		return nil
	})
	if err != nil || n != int64(len(long)+4) {
		t.Fatalf("consumed %d (%v), want %d", n, err, len(long)+4)
	}
	if len(lens) != 2 || lens[0] > MaxLine+64<<10 || lens[1] != 2 {
		t.Errorf("line lengths %v: the long line should be cut near MaxLine and the next kept", lens)
	}
}

func TestAppendStartsAfterATornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d", "f.jsonl")
	if err := Append(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("tor")
	f.Close()
	if err := Append(path, []byte("two")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != "one\ntor\ntwo\n" {
		t.Errorf("file %q", b)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
}

func TestAppendLinesIsOneWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.jsonl")
	if err := AppendLines(path, [][]byte{[]byte("a"), []byte("b")}); err != nil {
		t.Fatal(err)
	}
	if err := AppendLines(path, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "a\nb\n" {
		t.Errorf("file %q", b)
	}
}
