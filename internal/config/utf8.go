package config

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// checkUTF8 finds the first byte that is not UTF-8. go-yaml reports it at
// line 1 whatever its place, so the line is found here. A file starting
// with a UTF-16 byte order mark is left to go-yaml, which reads UTF-16.
func checkUTF8(src source, data []byte) *Error {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) || utf8.Valid(data) {
		return nil
	}
	line, start := 1, 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			col := utf8.RuneCount(data[start:i]) + 1
			return &Error{File: src.name(), Line: line,
				Msg: fmt.Sprintf("not UTF-8 text: byte 0x%02x at column %d (save the file as UTF-8)", data[i], col)}
		}
		if r == '\n' {
			line, start = line+1, i+size
		}
		i += size
	}
	return nil
}
