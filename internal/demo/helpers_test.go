package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// storyStart is the fixed wall clock the tests start their fleets at.
var storyStart = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

// client never keeps connections open, so goroutine checks see none.
var client = &http.Client{
	Timeout:   10 * time.Second,
	Transport: &http.Transport{DisableKeepAlives: true},
}

func startManual(t *testing.T, seed int64) *Fleet {
	t.Helper()
	f, err := Start(context.Background(), Options{
		Seed: seed, Manual: true, Now: func() time.Time { return storyStart },
	})
	if err != nil {
		t.Fatalf("start fleet: %v", err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Errorf("close fleet: %v", err)
		}
	})
	return f
}

func scrape(t *testing.T, target string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := client.Get(target)
	if err != nil {
		t.Fatalf("scrape %s: %v", target, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape %s: status %s", target, resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse scrape of %s: %v", target, err)
	}
	return fams
}

// scrapeAll merges every target's families (each model has its own
// exporter, so label sets never collide).
func scrapeAll(t *testing.T, f *Fleet) map[string]*dto.MetricFamily {
	t.Helper()
	all := map[string]*dto.MetricFamily{}
	for _, target := range f.Targets() {
		for name, fam := range scrape(t, target) {
			if have, ok := all[name]; ok {
				have.Metric = append(have.Metric, fam.Metric...)
				continue
			}
			all[name] = fam
		}
	}
	return all
}

func labelsOf(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// series finds the metrics of a family whose labels include want.
func series(fams map[string]*dto.MetricFamily, name string, want map[string]string) []*dto.Metric {
	var out []*dto.Metric
	fam, ok := fams[name]
	if !ok {
		return nil
	}
next:
	for _, m := range fam.GetMetric() {
		have := labelsOf(m)
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		out = append(out, m)
	}
	return out
}

// value returns the single sample (counter, gauge or histogram count) of
// the series matching want, failing the test unless exactly one matches.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	t.Helper()
	ms := series(fams, name, want)
	if len(ms) != 1 {
		t.Fatalf("%s%v: %d series, want 1", name, want, len(ms))
	}
	m := ms[0]
	switch {
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Histogram != nil:
		return float64(m.GetHistogram().GetSampleCount())
	case m.Summary != nil:
		return float64(m.GetSummary().GetSampleCount())
	}
	t.Fatalf("%s%v: no value", name, want)
	return 0
}

func lbl(kv ...string) map[string]string {
	out := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// call sends a request and decodes a JSON answer into out (when non-nil),
// returning the status code.
func call(t *testing.T, method, rawURL string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, rawURL, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, rawURL, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, rawURL, raw, err)
		}
	}
	return resp.StatusCode
}

func mlflowURL(f *Fleet, endpoint string, q url.Values) string {
	u := f.RegistryURL() + "/api/2.0/mlflow/" + strings.TrimPrefix(endpoint, "/")
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func decodeJSON(resp *http.Response, out any) error {
	return json.NewDecoder(resp.Body).Decode(out)
}
