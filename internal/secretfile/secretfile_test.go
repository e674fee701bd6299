package secretfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadOneLine(t *testing.T) {
	for _, content := range []string{"s3cret", "s3cret\n", "  s3cret\r\n", "s3cret\n\n"} {
		got, err := Read(write(t, content))
		if err != nil || got != "s3cret" {
			t.Errorf("Read(%q) = %q, %v; want s3cret", content, got, err)
		}
	}
}

func TestReadRefuses(t *testing.T) {
	big := strings.Repeat("a", MaxSize+1)
	cases := []struct{ name, content, want string }{
		{"empty", "\n", "is empty"},
		{"two lines", "tok\nother\n", "more than one line"},
		{"carriage return inside", "tok\rother", "more than one line"},
		{"too large", big, "larger than 64 KiB"},
		{"NUL", "tok\x00en", "control character"},
		{"escape", "tok\x1b[2Jen", "control character"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, c.content)
			_, err := Read(p)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("Read = %v; want an error naming %s and saying %q", err, p, c.want)
			}
			if strings.Contains(err.Error(), "other") {
				t.Errorf("the error quotes the file: %v", err)
			}
		})
	}
}

func TestReadMissing(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nope")
	_, err := Read(p)
	if err == nil || err.Error() != "read "+p+": no such file or directory" {
		t.Fatalf("Read = %v", err)
	}
}

// An endless file (a path to /dev/zero by mistake) is read no further than
// the limit: the read ends with an error, and it does not hold gigabytes.
func TestReadDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := Read("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "/dev/zero is larger than 64 KiB") {
		t.Fatalf("Read(/dev/zero) = %v", err)
	}
}

func TestReadPEMBounded(t *testing.T) {
	p := write(t, "-----BEGIN CERTIFICATE-----\n")
	if b, err := ReadPEM(p); err != nil || string(b) != "-----BEGIN CERTIFICATE-----\n" {
		t.Fatalf("ReadPEM = %q, %v", b, err)
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	if _, err := ReadPEM("/dev/zero"); err == nil || !strings.Contains(err.Error(), "/dev/zero is larger than 4 MiB") {
		t.Fatalf("ReadPEM(/dev/zero) = %v", err)
	}
}
