package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/sources/embedded"
)

// engineAPI answers Prometheus's instant-query API from the built-in
// engine: a Prometheus with a history, as reference export needs.
func engineAPI(t *testing.T, eng *embedded.Engine) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/query" {
			http.NotFound(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		secs, err := strconv.ParseFloat(r.Form.Get("time"), 64)
		if err != nil {
			http.Error(w, "bad time", http.StatusBadRequest)
			return
		}
		at := time.UnixMilli(int64(secs * 1000))
		vec, _, err := eng.Query(r.Context(), r.Form.Get("query"), at)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"status": "error", "errorType": "bad_data", "error": err.Error()})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "data": map[string]any{"resultType": "vector", "result": vec}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestReferenceExport: `mltop reference export` over two minutes of the
// demo writes a profile that parses, holds every feature of the version,
// and matches the histograms it was read from.
func TestReferenceExport(t *testing.T) {
	isolate(t)
	start := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	f, err := demo.Start(context.Background(), demo.Options{Seed: 2, Manual: true, Now: func() time.Time { return start }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	var mu sync.Mutex
	now := start
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	eng, err := embedded.New(embedded.Options{Targets: f.Targets(), Interval: 5 * time.Second, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	for range 24 {
		f.Advance(5 * time.Second)
		mu.Lock()
		now = now.Add(5 * time.Second)
		mu.Unlock()
		if err := eng.ScrapeOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	srv := engineAPI(t, eng)
	out := filepath.Join(t.TempDir(), "ref.json")
	var stdout, stderr bytes.Buffer
	code := run([]string{"reference", "export", "churn-predictor", "--prometheus", srv.URL, "3",
		"--from", start.Format(time.RFC3339), "--to", clock().Format(time.RFC3339), "--out", out, "--log-file", "-"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	p, err := histdrift.ParseProfile(b)
	if err != nil {
		t.Fatalf("the written profile does not parse: %v\n%s", err, b)
	}
	for _, name := range []string{"tenure", "monthly_charges", "support_calls", "plan", "__prediction__"} {
		if _, ok := p.Features[name]; !ok {
			t.Errorf("profile lacks %s", name)
		}
	}
	tenure := p.Features["tenure"]
	total := 0.0
	for _, c := range tenure.Counts {
		total += c
	}
	// churn-predictor serves about 48 requests a second, all on v3.
	if total < 48*120*0.8 || total > 48*120*1.2 {
		t.Errorf("tenure holds %g observations over two minutes", total)
	}
	if p.Window == nil || !p.Window.From.Equal(start) || !p.Window.To.Equal(clock()) {
		t.Errorf("window %+v", p.Window)
	}

	// --last and standard output.
	stdout.Reset()
	referenceNow = clock
	t.Cleanup(func() { referenceNow = time.Now })
	if code := run([]string{"reference", "export", "churn-predictor", "3", "--last", "1m", "--prometheus", srv.URL, "--log-file", "-"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("--last: exit %d: %s", code, stderr.String())
	}
	if _, err := histdrift.ParseProfile(stdout.Bytes()); err != nil {
		t.Errorf("stdout profile: %v", err)
	}
}

func TestReferenceExportUsage(t *testing.T) {
	isolate(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"reference"}, "want a sub-command"},
		{[]string{"reference", "import"}, "want a sub-command"},
		{[]string{"reference", "export", "churn"}, "want MODEL VERSION"},
		{[]string{"reference", "export", "churn", "3", "--from", "yesterday"}, "--from"},
		{[]string{"reference", "export", "churn", "3", "--from", "2026-11-20T00:00:00Z", "--last", "1d"}, "not both"},
		{[]string{"reference", "export", "churn", "3", "--last", "soon"}, "--last"},
		{[]string{"reference", "export", "churn", "3", "--from", "2026-11-20T00:00:00Z", "--to", "2026-11-19T00:00:00Z"}, "empty"},
		{[]string{"reference", "export", "churn", "3"}, "set prometheus.url"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != exitFailure || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr.String(), exitFailure, tc.want)
		}
		if stdout.Len() != 0 {
			t.Errorf("%v wrote to stdout: %q", tc.args, stdout.String())
		}
	}
}
