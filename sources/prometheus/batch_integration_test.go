package prometheus_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/sources/prometheus"
)

// TestSteadyQueriesGoAsOneRequest: against a real Prometheus, the queries
// asked at every refresh go as one request from the third refresh on, and
// each gets the server's own answer (names, labels, values, timestamps);
// when the joined query fails, each is asked on its own and only the
// failing one fails.
func TestSteadyQueriesGoAsOneRequest(t *testing.T) {
	at := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	var b strings.Builder
	b.WriteString("# TYPE reqs gauge\n")
	for _, s := range [][2]string{{"fraud", "40"}, {"churn", "12.5"}, {"idle", "0"}} {
		for _, pod := range []string{"a", "b"} {
			fmt.Fprintf(&b, "reqs{model=%q,pod=%q} %s %d\n", s[0], pod, s[1], at.Unix())
		}
	}
	b.WriteString("# TYPE errs gauge\n")
	for _, s := range [][2]string{{"fraud", "0.4"}, {"churn", "NaN"}} {
		fmt.Fprintf(&b, "errs{model=%q} %s %d\n", s[0], s[1], at.Unix())
	}
	b.WriteString("# EOF\n")
	p := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{Interval: time.Hour, Backfill: b.String()})

	steady := []string{`max by (model) (reqs)`, `errs`, `count by (model) (reqs) > 1`, `vector(1)`, `no_such_metric`}
	const failing = `reqs / on (model) errs` // many series of reqs match one of errs: an error
	for _, c := range []struct {
		name, backend string
		exprs         []string
		requests      int64 // on the third refresh
	}{
		{"prometheus", "", steady, 1},
		{"a scalar is asked on its own", "", append(steady[:2:2], "time()"), 2},
		{"a failing query", "", append(steady[:2:2], failing), 1 + 3},
		{"another engine", prometheus.BackendVictoriaMetrics, steady, int64(len(steady))},
	} {
		t.Run(c.name, func(t *testing.T) {
			ct := &countingTransport{}
			src, err := prometheus.New(prometheus.Options{URL: p.URL, Transport: ct, Backend: c.backend})
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				refresh := at.Add(time.Duration(i)*2*time.Second + 1234567891*time.Nanosecond)
				before := ct.instant.Load()
				got := make([]model.Vector, len(c.exprs))
				errs := make([]error, len(c.exprs))
				var wg sync.WaitGroup
				for j, e := range c.exprs {
					wg.Go(func() { got[j], _, errs[j] = src.Query(context.Background(), e, refresh) })
				}
				wg.Wait()
				// A screen's lone query between refreshes changes nothing.
				if _, _, err := src.Query(context.Background(), `max by (model) (errs)`, refresh.Add(time.Second)); err != nil {
					t.Fatal(err)
				}
				if n := ct.instant.Load() - before - 1; i == 2 && n != c.requests {
					t.Errorf("third refresh: %d queries sent, want %d", n, c.requests)
				}
				for j, e := range c.exprs {
					if e == failing {
						if errs[j] == nil {
							t.Errorf("%s: no error", e)
						}
						continue
					}
					if errs[j] != nil {
						t.Fatalf("%s: %v", e, errs[j])
					}
					if i == 2 {
						sameSeries(t, e, got[j], p.Query(e, refresh))
					}
				}
			}
		})
	}
}

// sameSeries: the same label sets with the same values and timestamps.
func sameSeries(t *testing.T, expr string, got, want model.Vector) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %v, the server %v", expr, got, want)
	}
	byLabels := map[model.Fingerprint]*model.Sample{}
	for _, s := range want {
		byLabels[s.Metric.Fingerprint()] = s
	}
	for _, s := range got {
		w, ok := byLabels[s.Metric.Fingerprint()]
		if !ok || !s.Equal(w) {
			t.Errorf("%s: %v, the server %v", expr, s, w)
		}
	}
}

// TestNowIsNeverShared: a query at the zero time is evaluated at the
// server's own now, a different instant each time: never answered from a
// read made for another.
func TestNowIsNeverShared(t *testing.T) {
	p := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{Interval: time.Hour})
	ct := &countingTransport{}
	src, err := prometheus.New(prometheus.Options{URL: p.URL, Transport: ct})
	if err != nil {
		t.Fatal(err)
	}
	exprs := []string{`histogram_quantile(0.5, sum by (le) (x_bucket))`, `histogram_quantile(0.9, sum by (le) (x_bucket))`,
		`sum by (m) (a) / sum by (m) (b)`, `sum by (m) (b)`, `vector(1)`, `vector(2)`}
	for i := range 4 {
		before := ct.instant.Load()
		for _, e := range exprs {
			if _, _, err := src.Query(context.Background(), e, time.Time{}); err != nil {
				t.Fatalf("%s: %v", e, err)
			}
		}
		if n := ct.instant.Load() - before; n != int64(len(exprs)) {
			t.Errorf("round %d: %d queries sent, want one each (%d)", i, n, len(exprs))
		}
	}
}
