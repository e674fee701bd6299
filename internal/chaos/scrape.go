package chaos

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
)

// ScrapeMode is one way an exporter's /metrics can misbehave.
type ScrapeMode string

// The scrape target modes. ScrapeGood exposes one request counter of
// model "fraud", version "1".
const (
	ScrapeGood    ScrapeMode = "good"
	ScrapeGarbage ScrapeMode = "garbage exposition"
	ScrapeEndless ScrapeMode = "endless body"
	ScrapeHuge    ScrapeMode = "huge"
	ScrapeSlow    ScrapeMode = "slow"
	ScrapeReset   ScrapeMode = "reset"
	ScrapeHTML    ScrapeMode = "html"
)

// ScrapeModes is every fault mode, ScrapeGood excluded.
var ScrapeModes = []ScrapeMode{ScrapeGarbage, ScrapeEndless, ScrapeHuge, ScrapeSlow, ScrapeReset, ScrapeHTML}

// HugeExposition is how many series ScrapeHuge exposes.
const HugeExposition = 100_000

const goodExposition = "# TYPE model_requests_total counter\nmodel_requests_total{model=\"fraud\",version=\"1\",code=\"200\"} 100\n"

// NewTarget starts a fake exporter answering in mode m. Slow and endless
// answers last until the scrape's context ends or done is closed.
func NewTarget(m ScrapeMode, done <-chan struct{}) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		switch m {
		case ScrapeGood:
			_, _ = io.WriteString(w, goodExposition)
		case ScrapeGarbage:
			_, _ = io.WriteString(w, "model_requests_total{model=\"fraud\" 1 2 3\n\x00\xff\x1b[2J{{{\n# TYPE x histogram\nx_bucket{le=\"oops\"} -\n")
		case ScrapeHTML:
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, HTMLPage)
		case ScrapeEndless:
			_, _ = io.WriteString(w, "# TYPE model_requests_total counter\n")
			endless(w, r, done, func(i int) string {
				return fmt.Sprintf("model_requests_total{model=\"m%d\",version=\"1\",code=\"200\"} %d\n", i, i)
			})
		case ScrapeHuge:
			_, _ = w.Write(hugeExposition())
		case ScrapeSlow:
			select {
			case <-r.Context().Done():
			case <-done:
			}
		case ScrapeReset:
			_, _ = io.WriteString(w, "# TYPE model_requests_total counter\nmodel_requests_total{model=\"fr")
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			panic(http.ErrAbortHandler)
		default:
			panic("chaos: unknown scrape mode " + string(m))
		}
	}))
}

// hugeExposition is ScrapeHuge's body, built once.
var hugeExposition = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	b.WriteString("# TYPE model_requests_total counter\n")
	for i := range HugeExposition {
		fmt.Fprintf(&b, "model_requests_total{model=\"m%d\",version=\"%d\",code=\"200\"} %d\n", i%1000, i/1000, i)
	}
	return b.Bytes()
})

// NewWebhook starts a retrain pipeline that answers status with body.
func NewWebhook(status int, body string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
}
