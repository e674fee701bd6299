package prometheus

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// endlessBody is an answer that starts as a vector and never ends.
type endlessBody struct{ sent int }

func (e *endlessBody) Read(p []byte) (int, error) {
	const head = `{"status":"success","data":{"resultType":"vector","result":[`
	const series = `{"metric":{"__name__":"x","model":"m"},"value":[1,"1"]},`
	n := 0
	for n < len(p) {
		var s string
		if e.sent == 0 {
			s = head
		} else {
			s = series
		}
		c := copy(p[n:], s)
		n += c
		e.sent += c
	}
	return n, nil
}

// endlessServer answers every request with a body that never ends.
func endlessServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.Copy(w, &endlessBody{})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func capped(t *testing.T, url string, limit int64) *Source {
	t.Helper()
	s, err := New(Options{URL: url, Timeout: time.Minute, MaxAnswerBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// An answer without end stops at the limit, on both ways a query is read
// (client_golang's samples and the table decoder), with an error that
// names the limit and its key.
func TestEndlessAnswerStopsAtTheLimit(t *testing.T) {
	srv := endlessServer(t)
	s := capped(t, srv.URL, 4<<20)
	want := "the answer is larger than prometheus.max_answer_mib (4 MiB)"
	_, _, err := s.Query(context.Background(), "x", time.Now())
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Query: %v; want %q", err, want)
	}
	_, _, err = s.QueryTable(context.Background(), "x", time.Now(), []string{"model"})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("QueryTable: %v; want %q", err, want)
	}
	_, _, err = s.QueryRange(context.Background(), "x", time.Now().Add(-time.Hour), time.Now(), time.Minute)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("QueryRange: %v; want %q", err, want)
	}
	if held := s.client.(*cappedClient).budget.held.Load(); held != 0 {
		t.Errorf("%d bytes still reserved after the queries", held)
	}
}

// An answer that says its length is refused before it is read.
func TestAnswerTooLongByItsLength(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "5000000")
		// Nothing follows: a read would wait for the 5 MB until the
		// server closes.
	}))
	defer srv.Close()
	_, _, err := capped(t, srv.URL, 1<<20).Query(context.Background(), "x", time.Now())
	var tl *AnswerTooLargeError
	if !errors.As(err, &tl) || !tl.Alone {
		t.Fatalf("Query: %v; want the answer refused as too large", err)
	}
}

// The limit is shared by the answers read at once: one query's room is
// not there for another until it is given back.
func TestBudgetSharedAndGivenBack(t *testing.T) {
	b := &budget{limit: 4 << 20}
	if !b.reserve(3900 << 10) {
		t.Fatal("first reservation refused")
	}
	_, err := b.read(strings.NewReader(strings.Repeat("x", 200<<10)), -1)
	var tl *AnswerTooLargeError
	if !errors.As(err, &tl) || tl.Alone {
		t.Fatalf("read beside another answer: %v; want the shared limit passed", err)
	}
	if !strings.Contains(err.Error(), "answers being read at once") {
		t.Errorf("message %q does not say the limit is shared", err)
	}
	b.held.Add(-3900 << 10)
	got, err := b.read(strings.NewReader(strings.Repeat("x", 200<<10)), -1)
	if err != nil || len(got) != 200<<10 {
		t.Fatalf("read alone: %d bytes, %v", len(got), err)
	}
	if b.held.Load() != 0 {
		t.Errorf("%d bytes still reserved", b.held.Load())
	}
}

// An answer of exactly the limit fits; one byte more does not.
func TestBudgetLimitIsInclusive(t *testing.T) {
	const limit = 1 << 20
	for _, size := range []int64{-1, limit} {
		b := &budget{limit: limit}
		got, err := b.read(strings.NewReader(strings.Repeat("x", limit)), size)
		if err != nil || len(got) != limit {
			t.Errorf("size %d: read %d bytes, %v; want the whole MiB", size, len(got), err)
		}
		_, err = b.read(strings.NewReader(strings.Repeat("x", limit+1)), size+int64(min(size+1, 1)))
		var tl *AnswerTooLargeError
		if !errors.As(err, &tl) || !tl.Alone {
			t.Errorf("size %d: one byte over the limit: %v", size, err)
		}
	}
}

// Bodies of every size come back whole, whether their length is known.
func TestBudgetReadsWhole(t *testing.T) {
	b := &budget{limit: 64 << 20}
	for _, n := range []int{0, 1, firstChunk - 1, firstChunk, firstChunk + 1, firstChunk + chunkSize, 5*chunkSize/2 + 7} {
		want := strings.Repeat("ab", n)[:n]
		for _, size := range []int64{-1, int64(n)} {
			got, err := b.read(strings.NewReader(want), size)
			if err != nil || string(got) != want {
				t.Errorf("read %d bytes (size %d): got %d, %v", n, size, len(got), err)
			}
		}
	}
}

// BenchmarkEndlessAnswer reads an endless answer to the default limit:
// bytes allocated per query stay at the limit (run with -benchmem).
func BenchmarkEndlessAnswer(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.Copy(w, &endlessBody{})
	}))
	defer srv.Close()
	s, err := New(Options{URL: srv.URL, Timeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := s.QueryTable(context.Background(), "x", time.Now(), []string{"model"}); err == nil {
			b.Fatal("an endless answer was accepted")
		}
	}
}

// A body cut short is an error, not a shorter answer.
func TestBudgetTruncatedBodyIsAnError(t *testing.T) {
	b := &budget{limit: 64 << 20}
	r := io.MultiReader(strings.NewReader(strings.Repeat("x", 3*firstChunk)), iotest.ErrReader(io.ErrUnexpectedEOF))
	if got, err := b.read(r, -1); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("read %d bytes, %v; want io.ErrUnexpectedEOF", len(got), err)
	}
}

// The chunks of answers that passed the limit are kept for the next (no
// more of them than the limit holds), and given back once an answer fits.
func TestBudgetKeepsChunksWithinTheLimit(t *testing.T) {
	b := &budget{limit: 8 << 20}
	for range 3 {
		if _, err := b.read(&endlessBody{}, -1); err == nil {
			t.Fatal("an endless body fitted")
		}
	}
	if n, most := len(b.free), int(b.limit/chunkSize); n == 0 || n > most {
		t.Fatalf("%d free chunks after three endless answers; want some, at most the %d the limit holds", n, most)
	}
	small := &budget{limit: 64 << 20}
	small.free = make([]*[chunkSize]byte, 40)
	for i := range small.free {
		small.free[i] = new([chunkSize]byte)
	}
	if _, err := small.read(strings.NewReader(strings.Repeat("x", 3*chunkSize)), -1); err != nil {
		t.Fatal(err)
	}
	if n := len(small.free); n != keepChunks {
		t.Fatalf("%d free chunks after an answer that fitted; want %d", n, keepChunks)
	}
}
