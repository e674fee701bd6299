package prometheus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/prometheus/client_golang/api"
)

// DefaultMaxAnswerBytes is the most the answers being read at once may
// hold, unless configured (prometheus.max_answer_mib): far above any real
// answer (a few hundred thousand series is tens of MiB), low enough that a
// server sending without end cannot take the machine's memory.
const DefaultMaxAnswerBytes = 256 << 20

// AnswerTooLargeError is a query whose answer did not fit in the limit: on
// its own (Alone), or together with the answers being read at the same time.
type AnswerTooLargeError struct {
	Limit int64
	Alone bool
}

func (e *AnswerTooLargeError) Error() string {
	if e.Alone {
		return fmt.Sprintf("the answer is larger than prometheus.max_answer_mib (%d MiB): the server sends too much (or without end); narrow the query or raise the limit", e.Limit>>20)
	}
	return fmt.Sprintf("the answers being read at once are larger than prometheus.max_answer_mib (%d MiB): the server sends too much (or without end); narrow the queries or raise the limit", e.Limit>>20)
}

// budget is the room left for answers being read: one per Source, shared
// by its concurrent queries, so that memory stays bounded however many
// queries a refresh sends and whatever the server answers.
type budget struct {
	limit int64
	held  atomic.Int64
}

// reserve takes n bytes of room; false when there is not that much left.
func (b *budget) reserve(n int64) bool {
	if b.held.Add(n) > b.limit {
		b.held.Add(-n)
		return false
	}
	return true
}

// Chunk sizes for a body of unknown length: small answers take little,
// big ones are read in few steps. Chunks are joined once, at the end, so a
// body is never copied while it grows (a doubling buffer holds up to three
// times the answer at once).
const (
	firstChunk = 32 << 10
	maxChunk   = 8 << 20
)

// read reads a body of size bytes (-1: unknown) within the budget; the
// room is given back when it returns, the caller then owns the bytes.
func (b *budget) read(r io.Reader, size int64) ([]byte, error) {
	var held int64
	defer func() { b.held.Add(-held) }()
	take := func(n int64) error {
		if n > b.limit-held || !b.reserve(n) {
			return &AnswerTooLargeError{Limit: b.limit, Alone: held+n > b.limit}
		}
		held += n
		return nil
	}
	if size >= 0 {
		if err := take(size); err != nil {
			return nil, err
		}
		buf := make([]byte, size)
		_, err := io.ReadFull(r, buf)
		return buf, err
	}
	var chunks [][]byte
	var total int
	for n := int64(firstChunk); ; n = min(2*n, maxChunk) {
		if err := take(n); err != nil {
			return nil, err
		}
		c := make([]byte, n)
		got, err := io.ReadFull(r, c)
		chunks, total = append(chunks, c[:got]), total+got
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out, nil
}

// cappedClient is client_golang's API client with the body read within
// the budget; client_golang itself reads bodies whole, however large.
type cappedClient struct {
	api.Client // URL
	http       *http.Client
	budget     *budget
}

func (c *cappedClient) Do(ctx context.Context, req *http.Request) (*http.Response, []byte, error) {
	req = req.WithContext(ctx)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := c.budget.read(resp.Body, resp.ContentLength)
	if err != nil && ctx.Err() != nil {
		return resp, nil, ctx.Err()
	}
	return resp, body, err
}
