package prometheus

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMetricNames(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/label/__name__/values" {
			http.NotFound(w, r)
			return
		}
		_ = r.ParseForm()
		got = r.Form["match[]"]
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":["up","model_predictions_total","go_goroutines"]}`)
	}))
	defer srv.Close()
	src, err := New(Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	names, err := src.MetricNames(context.Background(), []string{`{__name__="up"}`, `{__name__="x"}`}, now.Add(-time.Hour), now, 0)
	if err != nil || !slices.Equal(names, []string{"go_goroutines", "model_predictions_total", "up"}) {
		t.Errorf("names %v, err %v", names, err)
	}
	if !slices.Equal(got, []string{`{__name__="up"}`, `{__name__="x"}`}) {
		t.Errorf("match[] sent %v", got)
	}
	// A server that ignores limit is cut to it.
	if names, err = src.MetricNames(context.Background(), nil, now.Add(-time.Hour), now, 1); err != nil || len(names) != 1 {
		t.Errorf("limit 1: %v, %v", names, err)
	}
}

// A list of names that never ends stops at its own small limit, with
// words that name it; a refused connection stays recognisable.
func TestMetricNamesRefusals(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":[`)
		chunk := []byte(strings.Repeat(`"model_predictions_total",`, 4096))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	src, err := New(Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	_, err = src.MetricNames(context.Background(), nil, now.Add(-time.Hour), now, 0)
	if err == nil || err.Error() != "the list of metric names is larger than 16 MiB: the server sends too much (or without end)" {
		t.Errorf("endless list: %v", err)
	}
	srv.Close()
	_, err = src.MetricNames(context.Background(), nil, now.Add(-time.Hour), now, 0)
	if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), "connection refused by ") {
		t.Errorf("closed server: %v", err)
	}
}
