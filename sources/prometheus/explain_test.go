package prometheus

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestErrorsInPlainWords: each way a server can fail to be a working
// Prometheus gets one line that says what to check.
func TestErrorsInPlainWords(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"401", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "Unauthorized", http.StatusUnauthorized) },
			"authentication failed (401): check prometheus.bearer_token_file or basic_auth: Unauthorized"},
		{"401 tenant", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "no org id", http.StatusUnauthorized) },
			"missing or wrong X-Scope-OrgID"},
		{"403", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "forbidden", http.StatusForbidden) },
			"permission denied (403)"},
		{"404", http.NotFound, "(404): check the URL and its path prefix (Mimir: .../prometheus)"},
		{"html login page", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte("<!doctype html><html><body>Sign in</body></html>"))
		}, "answered with an HTML page (a login page or a proxy?), not the Prometheus API: check prometheus.url"},
		{"503 plain", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "upstream connect error", http.StatusServiceUnavailable)
		},
			"server error 503: upstream connect error"},
		{"500 JSON", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(500)
			_, _ = w.Write([]byte(`{"status":"error","errorType":"internal","error":"query processing would load too many samples into memory in query execution"}`))
		}, "server error 500: query processing would load too many samples into memory in query execution"},
		{"422 VictoriaMetrics", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(422)
			_, _ = w.Write([]byte(`{"status":"error","errorType":"422","error":"cannot parse \"sum(\": unexpected end of stream"}`))
		}, `bad query: cannot parse "sum(": unexpected end of stream`},
		{"422 VictoriaMetrics 1.79", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(422)
			_, _ = w.Write([]byte(`{"status":"error","errorType":"422","error":"error when executing query=\"sum(\" for (time=1795456697891, step=300000): singleExpr: unexpected token \"\"; want \"(\", \"{\", \"-\", \"+\"; unparsed data: \"\""}`))
		}, `bad query: singleExpr: unexpected token ""; want "(", "{", "-", "+"; unparsed data: ""`},
		{"422 VictoriaMetrics limit", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(422)
			_, _ = w.Write([]byte(`{"status":"error","errorType":"422","error":"error when executing query=\"sum(rate(x[5m]))\" on the time range (start=1, end=2, step=3): cannot select more than -search.maxUniqueTimeseries=300000 unique time series"}`))
		}, `query over the server's limit -search.maxUniqueTimeseries: cannot select more than -search.maxUniqueTimeseries=300000 unique time series`},
		{"401 Mimir invalid tenant", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "tenant ID 'a/b' contains unsupported character '/'", http.StatusUnauthorized)
		}, "authentication failed (401): missing or wrong X-Scope-OrgID"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			s, err := New(Options{URL: srv.URL, Timeout: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = s.Query(context.Background(), "up", time.Now())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("not one line: %q", err)
			}
		})
	}
}

func TestConnectionRefusedInPlainWords(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	s, err := New(Options{URL: "http://" + addr, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Query(context.Background(), "up", time.Now())
	if err == nil || err.Error() != "connection refused by "+addr+": is the server running, and is the URL right?" {
		t.Fatalf("err = %v", err)
	}
}

// A string where a number belongs, read by Query, QueryTable or
// client_golang's decoder, is one short line that says so, not the
// decoder's excerpt of the answer around it.
func TestMalformedAnswerInOneShortLine(t *testing.T) {
	long := strings.Repeat("m", 300)
	cases := []struct{ name, body, query, table string }{
		{"value", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"` + long + `"},"value":[1,"abc"]}]}}`,
			`malformed answer: a value that must be a number is "abc"`, `malformed answer: decode response at byte 400: bad sample value "abc"`},
		{"time", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"m"},"value":["x","1"]}]}}`,
			`malformed answer: a value that must be a number is "x"`, `malformed answer: decode response at byte 96: bad timestamp "x"`},
		{"long value", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"m"},"value":[1,"` + long + `"]}]}}`,
			`malformed answer: a value that must be a number is "mmmm`, `malformed answer: decode response at byte 398: bad sample value "mmmm`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(c.body))
			}))
			defer srv.Close()
			s, err := New(Options{URL: srv.URL, Timeout: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			_, _, cerr := clientGolangQuery(s, context.Background(), "x", time.Now())
			_, _, qerr := s.Query(context.Background(), "x", time.Now())
			_, _, terr := s.QueryTable(context.Background(), "x", time.Now(), []string{"model"})
			for _, got := range []struct {
				err  error
				want string
			}{{cerr, c.query}, {qerr, c.table}, {terr, c.table}} {
				if got.err == nil || !strings.HasPrefix(got.err.Error(), got.want) {
					t.Errorf("err = %v\nwant it to start %q", got.err, got.want)
					continue
				}
				if msg := got.err.Error(); len(msg) > 160 || strings.Contains(msg, "\n") {
					t.Errorf("not one short line (%d bytes): %q", len(msg), msg)
				}
			}
		})
	}
}
