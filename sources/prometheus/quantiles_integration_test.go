package prometheus_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/sources/prometheus"
)

// countingTransport counts the instant queries sent.
type countingTransport struct{ instant atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/api/v1/query") {
		c.instant.Add(1)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestQuantilesShareOneReadOfTheBuckets: against a real Prometheus, the
// p50, p95 and p99 of a set of histograms asked at one instant cost one
// query of the buckets, and each equals the server's own
// histogram_quantile to the bit; buckets the server's version may read
// differently, and an engine that is not Prometheus, are asked the
// quantiles themselves. The buckets asked at the same instant come from
// the same read.
func TestQuantilesShareOneReadOfTheBuckets(t *testing.T) {
	at := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	var b strings.Builder
	b.WriteString("# TYPE lat_bucket gauge\n")
	write := func(model, version string, counts ...string) {
		for i, le := range []string{"0.05", "0.1", "0.5", "+Inf"} {
			fmt.Fprintf(&b, "lat_bucket{model=%q,version=%q,le=%q} %s %d\n", model, version, le, counts[i], at.Unix())
		}
	}
	write("fraud", "3", "12.5", "30.25", "39.6", "40")
	write("fraud", "4", "0", "0", "0", "0")
	write("churn", "7", "1", "0.5", "12", "12.5")
	write("churn", "8", "3", "3", "NaN", "7")
	write("near", "1", "10", "10.000000000000002", "20", "20")
	b.WriteString("# EOF\n")
	p := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{Interval: time.Hour, Backfill: b.String()})

	// Asked between milliseconds: the samples carry the server's rounding.
	ask := at.Add(1234567891 * time.Nanosecond)
	const clean = `sum by (model, version, le) (lat_bucket{model!="near"})`
	const near = `sum by (model, version, le) (lat_bucket{model="near"})`
	for _, c := range []struct {
		name, backend, buckets string
		requests               int64
	}{
		{"prometheus", "", clean, 1},
		{"buckets read as samples", "", `lat_bucket{model!="near"}`, 1},
		{"nearly equal counts", "", near, 1 + 3},
		{"another engine", prometheus.BackendVictoriaMetrics, clean, 3 + 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			ct := &countingTransport{}
			src, err := prometheus.New(prometheus.Options{URL: p.URL, Transport: ct, Backend: c.backend})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := src.Query(context.Background(), "1", ask); err != nil { // the backend is known after a query
				t.Fatal(err)
			}
			before := ct.instant.Load()
			qs := []float64{0.5, 0.95, 0.99}
			got := make([]model.Vector, len(qs))
			errs := make([]error, len(qs))
			var wg sync.WaitGroup
			for i, q := range qs {
				wg.Go(func() {
					got[i], _, errs[i] = src.Query(context.Background(), fmt.Sprintf("histogram_quantile(%g, %s)", q, c.buckets), ask)
				})
			}
			wg.Wait()
			// The buckets themselves, asked at the same instant, come from
			// the same read.
			buckets, _, err := src.Query(context.Background(), c.buckets, ask)
			if err != nil {
				t.Fatal(err)
			}
			sameSeries(t, c.buckets, buckets, p.Query(c.buckets, ask))
			if n := ct.instant.Load() - before; n != c.requests {
				t.Errorf("%d queries sent, want %d", n, c.requests)
			}
			for i, q := range qs {
				if errs[i] != nil {
					t.Fatalf("q=%g: %v", q, errs[i])
				}
				want := p.Query(fmt.Sprintf("histogram_quantile(%g, %s)", q, c.buckets), ask)
				if len(got[i]) != len(want) || len(want) == 0 {
					t.Fatalf("q=%g: %d series, the server %d", q, len(got[i]), len(want))
				}
				byLabels := map[model.Fingerprint]*model.Sample{}
				for _, s := range want {
					byLabels[s.Metric.Fingerprint()] = s
				}
				for _, s := range got[i] {
					w, ok := byLabels[s.Metric.Fingerprint()]
					if !ok {
						t.Fatalf("q=%g: %v not in the server's answer %v", q, s.Metric, want)
					}
					g, wv := float64(s.Value), float64(w.Value)
					if math.Float64bits(g) != math.Float64bits(wv) && !(math.IsNaN(g) && math.IsNaN(wv)) || s.Timestamp != w.Timestamp {
						t.Errorf("q=%g %v: %v at %v, the server %v at %v", q, s.Metric, g, s.Timestamp, wv, w.Timestamp)
					}
				}
			}
		})
	}
}
