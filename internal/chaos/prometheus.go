package chaos

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// PromMode is one way a Prometheus API can misbehave.
type PromMode string

// The Prometheus modes. PromGood answers every query with one series of
// model "fraud", version "1", healthy: no errors.
const (
	PromGood         PromMode = "good"
	PromHTML         PromMode = "html 200"
	PromUnauthorized PromMode = "401"
	PromError500     PromMode = "500 json"
	PromRetryAfter   PromMode = "503 retry-after"
	PromSlow         PromMode = "slow"
	PromTruncated    PromMode = "truncated"
	PromNaN          PromMode = "nan and inf"
	PromStrings      PromMode = "strings for numbers"
	PromHuge         PromMode = "100000 series"
	PromNested       PromMode = "deeply nested"
	PromEndless      PromMode = "endless body"
	PromDuplicate    PromMode = "duplicate series"
	PromWarnings     PromMode = "partial-response warnings"
	PromEmpty        PromMode = "empty body"
)

// PromModes is every fault mode, PromGood excluded.
var PromModes = []PromMode{PromHTML, PromUnauthorized, PromError500, PromRetryAfter, PromSlow, PromTruncated,
	PromNaN, PromStrings, PromHuge, PromNested, PromEndless, PromDuplicate, PromWarnings, PromEmpty}

// HugeSeries is how many series PromHuge answers.
const HugeSeries = 100_000

// HeapUnbounded says why some Prometheus modes' heap is logged, not
// bounded. The poll decodes every query's answer at once (12 queries):
// 100,000 series for each peak at 250-600 MiB of heap, since
// prometheus.max_answer_mib bounds bytes, not decoded series; a 2 MB answer
// nested 100,000 deep peaked anywhere from 18 to 310 MiB between runs.
// Measured: docs/benchmarks.md.
const HeapUnbounded = "every query's answer is decoded at once, and prometheus.max_answer_mib bounds their bytes, not what decoding them costs (see docs/benchmarks.md)"

// PromUnbounded reports whether m is a mode whose heap HeapUnbounded explains.
func PromUnbounded(m PromMode) bool { return m == PromHuge || m == PromNested }

// HTMLPage is what a login proxy in front of a server answers.
const HTMLPage = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body><h1>Sign in</h1><form>...</form></body></html>\n"

// NewPrometheus starts a fake Prometheus API answering in mode m. A slow
// or endless answer lasts until the request's context ends or done is
// closed, whichever is first; the server closes with the test.
func NewPrometheus(m PromMode, done <-chan struct{}) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/v1/query") {
			// buildinfo and friends: a plain Prometheus, in every mode, so
			// that each mode reaches the query path.
			if m == PromHTML || m == PromUnauthorized || m == PromSlow {
				servePromMode(w, r, m, done)
				return
			}
			http.NotFound(w, r)
			return
		}
		servePromMode(w, r, m, done)
	}))
}

func servePromMode(w http.ResponseWriter, r *http.Request, m PromMode, done <-chan struct{}) {
	now := float64(time.Now().Unix())
	series := func(model, version, value string) string {
		return fmt.Sprintf(`{"metric":{"model":%q,"version":%q},"value":[%.3f,%q]}`, model, version, now, value)
	}
	ok := func(result string, extra string) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success",`+extra+`"data":{"resultType":"vector","result":[`+result+`]}}`)
	}
	switch m {
	case PromGood:
		v := "0.5"
		if strings.Contains(r.FormValue("query"), "error") {
			v = "0" // a healthy model: no errors
		}
		ok(series("fraud", "1", v), "")
	case PromHTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, HTMLPage)
	case PromUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="prometheus"`)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, "<html><body>401 Unauthorized</body></html>")
	case PromError500:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"status":"error","errorType":"internal","error":"storage\nbroken \u001b[31mred\u001b[0m"}`)
	case PromRetryAfter:
		w.Header().Set("Retry-After", "3600")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"status":"error","errorType":"unavailable","error":"too many queries"}`)
	case PromSlow:
		select {
		case <-r.Context().Done():
		case <-done:
		}
	case PromTruncated:
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[`+series("fraud", "1", "0.5")+`,{"metric":{"model":"fr`)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		panic(http.ErrAbortHandler) // the connection drops mid-answer
	case PromNaN:
		ok(series("fraud", "1", "NaN")+","+series("fraud", "2", "+Inf")+","+series("fraud", "3", "-Inf"), "")
	case PromStrings:
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[`+
			`{"metric":{"model":"fraud","version":"1"},"value":["yesterday","fast"]},`+
			`{"metric":{"model":"fraud","version":"2"},"value":[1,2]},`+
			`{"metric":{"model":7,"version":true},"value":"0.5"}]}}`)
	case PromHuge:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(hugeAnswer())
	case PromNested:
		w.Header().Set("Content-Type", "application/json")
		const depth = 100_000
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[`+strings.Repeat(`{"metric":`, depth)+"1"+strings.Repeat("}", depth)+`]}}`)
	case PromEndless:
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[`)
		endless(w, r, done, func(i int) string {
			return series(fmt.Sprintf("model-%d", i), "1", "1") + ","
		})
	case PromDuplicate:
		ok(series("fraud", "1", "0.5")+","+series("fraud", "1", "0.9")+","+series("fraud", "1", "0.1"), "")
	case PromWarnings:
		ok(series("fraud", "1", "0.5"), `"warnings":["PromQL info: partial response: store 10.0.0.7:10901 unavailable","\u001b]52;c;cm0gLXJmIH4=\u0007clipboard"],`)
	case PromEmpty:
		w.Header().Set("Content-Type", "application/json")
	default:
		panic("chaos: unknown Prometheus mode " + string(m))
	}
}

// hugeAnswer is PromHuge's answer, built once: a handler that built it per
// request would go on long after a client that gave up had gone.
var hugeAnswer = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	b.WriteString(`{"status":"success","data":{"resultType":"vector","result":[`)
	for i := range HugeSeries {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"metric":{"model":"model-%d","version":"%d"},"value":[%d,"1"]}`, i%1000, i/1000, time.Now().Unix())
	}
	b.WriteString(`]}}`)
	return b.Bytes()
})

// endless writes item(0) ... item(4095) over and over until the client
// goes away or done is closed. The items are built once, so that the heap
// figures measure mltop, not the fake.
func endless(w http.ResponseWriter, r *http.Request, done <-chan struct{}, item func(int) string) {
	var b strings.Builder
	for i := range 4096 {
		b.WriteString(item(i))
	}
	chunk := []byte(b.String())
	for {
		select {
		case <-r.Context().Done():
			return
		case <-done:
			return
		default:
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}
