package alerts

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkRulesRead: one read of 2,000 alerts (the most kept) from a
// rule evaluator on loopback: request, decode, bound and clean.
func BenchmarkRulesRead(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"status":"success","data":{"alerts":[`)
	for i := range 2000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"labels":{"alertname":"ModelErrorRatioHigh","model":"model-%04d","version":"3","severity":"critical"},"annotations":{"summary":"error ratio 4.1%% above 2%%"},"state":"firing","activeAt":"2026-12-07T14:00:00Z","value":"4.1e-02"}`, i)
	}
	sb.WriteString(`]}}`)
	body := sb.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) }))
	defer srv.Close()
	r, err := New(Options{URL: srv.URL, Kind: KindRules})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := r.Alerts(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
