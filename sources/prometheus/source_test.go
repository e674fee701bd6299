package prometheus

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestQueryDecodesVectorAndWarnings(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Form.Get("query") != "up" {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","warnings":["store s1 unavailable"],"data":{"resultType":"vector","result":[{"metric":{"model":"a","version":"1"},"value":[1700000000,"2.5"]}]}}`))
	}))
	defer srv.Close()
	s, err := New(Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	vec, warns, err := s.Query(context.Background(), "up", time.Unix(1700000000, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(vec) != 1 || vec[0].Value != 2.5 || vec[0].Metric["model"] != "a" {
		t.Fatalf("vector = %v", vec)
	}
	if len(warns) != 1 || warns[0] != "store s1 unavailable" {
		t.Fatalf("warnings = %v", warns)
	}
}

func TestQueryErrorsInPlainWords(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("query") == "slow" {
			<-release
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}`))
	}))
	defer srv.Close()
	defer close(release)
	s, err := New(Options{URL: srv.URL, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Query(context.Background(), "sum(", time.Now())
	if err == nil || err.Error() != "bad query: 1:5: parse error: unexpected end of input" {
		t.Fatalf("err = %v", err)
	}
	_, _, err = s.Query(context.Background(), "slow", time.Now())
	if err == nil || !strings.Contains(err.Error(), "timed out after 50ms") {
		t.Fatalf("slow err = %v", err)
	}
}
