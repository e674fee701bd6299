package audit

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestScanMergedVisitsLogsByTime(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	write := func(name string, mins ...int) string {
		l := New(filepath.Join(dir, name))
		for _, m := range mins {
			if err := l.Append(Record{ID: name + "-" + strconv.Itoa(m), State: Succeeded, Time: at.Add(time.Duration(m) * time.Minute)}); err != nil {
				t.Fatal(err)
			}
		}
		return l.Path()
	}
	a, b := write("a", 1, 4, 4, 9), write("b", 2, 3, 4, 10)
	f, err := os.OpenFile(b, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"id":"cut`)
	_ = f.Close()
	var got []string
	torn, err := ScanMerged([]string{a, b, filepath.Join(dir, "none")}, func(r Record) error {
		got = append(got, r.ID)
		return nil
	})
	if err != nil || torn != 1 {
		t.Fatalf("torn %d, err %v", torn, err)
	}
	if want := "a-1 b-2 b-3 a-4 a-4 b-4 a-9 b-10"; strings.Join(got, " ") != want {
		t.Errorf("order %q, want %q", strings.Join(got, " "), want)
	}
	stop := errors.New("enough")
	n := 0
	if _, err := ScanMerged([]string{a, b}, func(Record) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("a visit's error: %v after %d records", err, n)
	}
}
