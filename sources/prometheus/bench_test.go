package prometheus

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/labelrows"
)

// BenchmarkHistogramAnswer reads the current window's bucket answer of a
// fleet of 1,000 models × 20 features × 20 buckets (400,000 series, 43 MiB
// of JSON as Prometheus writes it) from a server on loopback: as samples
// with a label map each, then made a table (Query, what a source without
// tables costs the poller), and straight into a table (QueryTable).
func BenchmarkHistogramAnswer(b *testing.B) {
	var body bytes.Buffer
	body.WriteString(`{"status":"success","data":{"resultType":"vector","result":[`)
	n := 0
	for m := range 1000 {
		for f := range 20 {
			for le := range 20 {
				if n > 0 {
					body.WriteByte(',')
				}
				n++
				fmt.Fprintf(&body, `{"metric":{"feature":"feature_%02d","le":"%g","model":"model-%04d","version":"1"},"value":[1700000000.123,"%d"]}`,
					f, float64(le+1)*0.1, m, 500*(le+1))
			}
		}
	}
	body.WriteString(`]}}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/query" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body.Bytes())
	}))
	defer srv.Close()
	s, err := New(Options{URL: srv.URL, Backend: "prometheus", Timeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("samples", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, _, err := s.Query(ctx, "q", time.Time{})
			if err != nil || labelrows.FromVector(v, tableCols).Len() != n {
				b.Fatalf("%d samples, %v", len(v), err)
			}
		}
	})
	b.Run("table", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t, _, err := s.QueryTable(ctx, "q", time.Time{}, tableCols)
			if err != nil || t.Len() != n {
				b.Fatalf("%d rows, %v", t.Len(), err)
			}
		}
	})
}
