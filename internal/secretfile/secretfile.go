// Package secretfile reads the one-line secrets mltop sends with requests
// (bearer tokens, passwords, webhook URLs) from files. Every secret file is
// read here, so that all of them share one size limit and one set of
// plain error messages.
package secretfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxSize is the most a secret file may hold. A secret is a line; a file
// larger than this is not one (a path to /dev/zero, a log file by mistake)
// and is not read further, so a wrong path cannot exhaust memory.
const MaxSize = 64 << 10

// Read returns the secret in the file at path: its one line, without the
// trailing newline (and any spaces around it). A missing or unreadable
// file, an empty one, one larger than MaxSize and one holding more than one
// line are errors that name the file and say what is wrong; they never
// quote the file's contents.
func Read(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, unwrapPath(err))
	}
	if len(b) > MaxSize {
		return "", fmt.Errorf("%s is larger than %d KiB: it does not hold a secret (a token, password or URL on one line)", path, MaxSize>>10)
	}
	s := bytes.TrimSpace(b)
	if len(s) == 0 {
		return "", fmt.Errorf("%s is empty", path)
	}
	if i := bytes.IndexAny(s, "\r\n"); i >= 0 {
		return "", fmt.Errorf("%s holds more than one line (line break at byte %d): a secret is one line", path, i+1)
	}
	if bytes.IndexFunc(s, isControl) >= 0 {
		return "", fmt.Errorf("%s holds a control character: a secret is printable text", path)
	}
	return string(s), nil
}

// isControl reports the characters no HTTP header value may hold (a NUL
// from /dev/zero, an escape).
func isControl(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }

// unwrapPath drops the path from an *os.PathError, which Read names itself.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// MaxPEMSize is the most a certificate or key file may hold: a CA bundle
// of every public root is about 200 KiB.
const MaxPEMSize = 4 << 20

// ReadPEM returns the contents of a certificate, CA bundle or key file,
// refusing one larger than MaxPEMSize (a path to /dev/zero by mistake)
// instead of reading it without end.
func ReadPEM(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxPEMSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, unwrapPath(err))
	}
	if len(b) > MaxPEMSize {
		return nil, fmt.Errorf("%s is larger than %d MiB: it does not hold PEM certificates or a key", path, MaxPEMSize>>20)
	}
	return b, nil
}
