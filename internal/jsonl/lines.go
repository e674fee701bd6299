package jsonl

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// MaxLine bounds one line; a longer line is handed over cut short, so it
// fails to parse and counts as torn.
const MaxLine = 1 << 20

// Lines calls visit with each non-blank line of r, without its '\n', oldest
// first, reusing one buffer (visit must not keep the slice). terminated is
// false for a last line with no '\n': a line torn by a crash, or one another
// process is still writing. Lines stops at the first error visit returns.
// consumed is the number of bytes up to and including the last '\n': where
// a later read of the same file picks up.
func Lines(r io.Reader, visit func(line []byte, terminated bool) error) (consumed int64, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var line []byte
	for {
		var n int
		line, n, err = readLine(br, line[:0])
		terminated := err == nil
		if terminated {
			consumed += int64(n)
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if verr := visit(line, terminated); verr != nil {
				return consumed, verr
			}
		}
		if errors.Is(err, io.EOF) {
			return consumed, nil
		}
		if err != nil {
			return consumed, err
		}
	}
}

// readLine appends the next line without its '\n' to buf and says how
// many bytes it took from br.
func readLine(br *bufio.Reader, buf []byte) ([]byte, int, error) {
	line, n := buf, 0
	for {
		chunk, err := br.ReadSlice('\n')
		n += len(chunk)
		if len(line) < MaxLine {
			line = append(line, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(line, []byte{'\n'}), n, err
	}
}
