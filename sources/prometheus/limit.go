package prometheus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/api"
)

// DefaultMaxAnswerBytes is the most the answers being read at once may
// hold, unless configured (prometheus.max_answer_mib): far above any real
// answer (a few hundred thousand series is tens of MiB), low enough that a
// server sending without end leaves mltop, dashboard included, under
// 300 MiB in all.
const DefaultMaxAnswerBytes = 200 << 20

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

	mu   sync.Mutex
	free []*[chunkSize]byte // chunks no answer holds, for the next
}

// keepChunks is how many free chunks stay after an answer that fitted:
// after a server sent too much, its chunks are given back to the collector
// once answers are ordinary again. They stay for good: a dashboard's
// refresh of a 1,000-model fleet reads about twenty answers of 100 KiB at
// once, which four chunks serve one after the other.
const keepChunks = 4

func (b *budget) getChunk() *[chunkSize]byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	if n := len(b.free); n > 0 {
		c := b.free[n-1]
		b.free[n-1] = nil
		b.free = b.free[:n-1]
		return c
	}
	return new([chunkSize]byte)
}

func (b *budget) putChunks(cs []*[chunkSize]byte, fitted bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.free = append(b.free, cs...)
	if fitted && len(b.free) > keepChunks {
		clear(b.free[keepChunks:])
		b.free = slices.Clip(b.free[:keepChunks])
	}
}

// reserve takes n bytes of room; false when there is not that much left.
func (b *budget) reserve(n int64) bool {
	if b.held.Add(n) > b.limit {
		b.held.Add(-n)
		return false
	}
	return true
}

// A body of unknown length is read into a small first chunk, then into
// chunks of chunkSize that the budget keeps for reuse. Chunks are joined
// once, at the end, so a body is never copied while it grows (a doubling
// buffer holds up to three times the answer at once). The chunks of an
// answer that failed serve the next rather than being left to the
// collector: against a server sending without end, the process would
// otherwise hold the limit once in live chunks and again in garbage. A
// chunk is made only when none is free and is filled only within reserved
// room, so the chunks pass the limit by at most the last one of each answer.
const (
	firstChunk = 32 << 10
	chunkSize  = 256 << 10
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
	if err := take(firstChunk); err != nil {
		return nil, err
	}
	first := make([]byte, firstChunk)
	n, end, err := fill(r, first)
	if err != nil {
		return nil, err
	}
	if end {
		return first[:n], nil
	}
	var pooled []*[chunkSize]byte
	fitted := false
	defer func() { b.putChunks(pooled, fitted) }()
	total := n
	for {
		// The last chunk may be cut to what is left of the limit, so
		// that an answer of exactly the limit fits.
		n := min(chunkSize, b.limit-held)
		if n <= 0 {
			// At the limit: over it, unless the body ends here.
			var one [1]byte
			k, end, err := fill(r, one[:])
			if err != nil {
				return nil, err
			}
			if k == 0 && end {
				break
			}
			n = chunkSize
		}
		if err := take(n); err != nil {
			return nil, err
		}
		c := b.getChunk()
		pooled = append(pooled, c)
		got, end, err := fill(r, c[:n])
		total += got
		if err != nil {
			return nil, err
		}
		if end {
			break
		}
	}
	out := make([]byte, 0, total)
	out = append(out, first...)
	for _, c := range pooled {
		out = append(out, c[:min(chunkSize, total-len(out))]...)
	}
	fitted = true
	return out, nil
}

// fill reads into buf until it is full or the body ends (end). Unlike
// io.ReadFull it tells a body that ended from one cut short: a truncated
// chunked body is io.ErrUnexpectedEOF, an error.
func fill(r io.Reader, buf []byte) (n int, end bool, err error) {
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if errors.Is(err, io.EOF) {
			return n, true, nil
		}
		if err != nil {
			return n, false, err
		}
	}
	return n, false, nil
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
	b := c.budget
	if limit, ok := ctx.Value(answerLimitKey{}).(int64); ok && limit < b.limit {
		// A small answer by nature has a room of its own, so that a
		// server sending without end costs no more than that.
		b = &budget{limit: limit}
	}
	body, err := b.read(resp.Body, resp.ContentLength)
	if err != nil && ctx.Err() != nil {
		return resp, nil, ctx.Err()
	}
	return resp, body, err
}

type answerLimitKey struct{}

// withAnswerLimit bounds the answer of the requests made with ctx to limit
// bytes, below the source's own limit.
func withAnswerLimit(ctx context.Context, limit int64) context.Context {
	return context.WithValue(ctx, answerLimitKey{}, limit)
}
