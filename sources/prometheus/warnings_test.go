package prometheus

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Thanos Query's warnings, as recorded from v0.42.4.
const (
	thanosRefused = `fetch series for {prometheus="eu1"} Addr: 127.0.0.1:19901 MinTime: -62167219200000 MaxTime: 9223372036854775807: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:19901: connect: connection refused"`
	thanosSlow    = `failed to receive any data in 5s from Addr: 10.0.0.7:10901 MinTime: 0 MaxTime: 100: context deadline exceeded`
	thanosRecv    = `receive series from Addr: store-2:10901 MinTime: 0 MaxTime: 100: rpc error: code = Internal desc = "chunk pool exhausted"`
)

func TestThanosWarningsNameTheStore(t *testing.T) {
	cases := map[string]string{
		thanosRefused:                         `store 127.0.0.1:19901 {prometheus="eu1"}: connection refused`,
		thanosSlow:                            `store 10.0.0.7:10901: no data within 5s`,
		thanosRecv:                            `store store-2:10901: chunk pool exhausted`,
		"No StoreAPIs matched for this query": "No StoreAPIs matched for this query",
	}
	for in, want := range cases {
		if got := plainWarning(in); got != want {
			t.Errorf("plainWarning(%.40q…)\n got %q\nwant %q", in, got, want)
		}
	}
}

// TestQueryReturnsPlainWarnings: warnings reach the caller rewritten, with
// the data that came with them.
func TestQueryReturnsPlainWarnings(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"a"},"value":[1,"1"]}]},"warnings":[` +
			jsonString(thanosRefused) + `]}`))
	}))
	defer srv.Close()
	s, err := New(Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	vec, warns, err := s.Query(context.Background(), "up", time.Now())
	if err != nil || len(vec) != 1 {
		t.Fatalf("vec %v err %v", vec, err)
	}
	if len(warns) != 1 || warns[0] != `store 127.0.0.1:19901 {prometheus="eu1"}: connection refused` {
		t.Fatalf("warnings = %q", warns)
	}
}

func jsonString(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
