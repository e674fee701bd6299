package prometheus_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/sources/prometheus"
)

// TestRatioAndItsDenominatorShareOneRead: against a real Prometheus, an
// error ratio and the request rate it divides by, asked at one instant,
// cost one query once both have been seen (and, once that query has been
// sent at two refreshes, it goes with the other queries of every refresh), and each equals the server's
// own answer to the bit, zero denominators and unmatched series included.
func TestRatioAndItsDenominatorShareOneRead(t *testing.T) {
	at := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	var b strings.Builder
	b.WriteString("# TYPE errs gauge\n")
	for _, s := range [][3]string{{"fraud", "3", "0.4"}, {"fraud", "4", "0.16"}, {"churn", "7", "0"}, {"idle", "1", "2"}, {"none", "1", "0"}, {"lonely", "1", "5"}, {"tiny", "1", "1e-300"}} {
		fmt.Fprintf(&b, "errs{model=%q,version=%q,pod=\"a\"} %s %d\n", s[0], s[1], s[2], at.Unix())
	}
	b.WriteString("# TYPE reqs gauge\n")
	for _, s := range [][3]string{{"fraud", "3", "40"}, {"fraud", "4", "3.3"}, {"churn", "7", "12.5"}, {"idle", "1", "0"}, {"none", "1", "0"}, {"unmatched", "1", "7"}, {"tiny", "1", "3"}} {
		for _, pod := range []string{"a", "b"} {
			fmt.Fprintf(&b, "reqs{model=%q,version=%q,pod=%q} %s %d\n", s[0], s[1], pod, s[2], at.Unix())
		}
	}
	b.WriteString("# EOF\n")
	p := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{Interval: time.Hour, Backfill: b.String()})

	const requests = `sum by (model, version) (reqs)`
	const ratio = `sum by (model, version) (errs) / ` + requests
	for _, c := range []struct {
		name, backend string
		requests      [4]int64 // at each refresh
	}{
		{"prometheus", "", [4]int64{3, 2, 2, 1}},
		{"another engine", prometheus.BackendVictoriaMetrics, [4]int64{3, 3, 3, 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ct := &countingTransport{}
			src, err := prometheus.New(prometheus.Options{URL: p.URL, Transport: ct, Backend: c.backend})
			if err != nil {
				t.Fatal(err)
			}
			for i, refresh := range []time.Time{at.Add(1234567891 * time.Nanosecond), at.Add(3 * time.Second), at.Add(5 * time.Second), at.Add(7 * time.Second)} {
				before := ct.instant.Load()
				exprs := []string{requests, ratio, `max by (model, version) (errs)`}
				got := make([]model.Vector, len(exprs))
				errs := make([]error, len(exprs))
				var wg sync.WaitGroup
				for j, e := range exprs {
					wg.Go(func() { got[j], _, errs[j] = src.Query(context.Background(), e, refresh) })
				}
				wg.Wait()
				if n := ct.instant.Load() - before; n != c.requests[i] && (i > 0 || c.backend != "") {
					t.Errorf("refresh %d: %d queries sent, want %d", i+1, n, c.requests[i])
				}
				for j, e := range exprs {
					if errs[j] != nil {
						t.Fatalf("%s: %v", e, errs[j])
					}
					sameAnswer(t, e, got[j], p.Query(e, refresh))
				}
			}
		})
	}
}

// sameAnswer: the same series, values equal to the bit, same timestamps.
func sameAnswer(t *testing.T, expr string, got, want model.Vector) {
	t.Helper()
	if len(got) != len(want) || len(want) < 5 {
		t.Fatalf("%s: %d series, the server %d: %v", expr, len(got), len(want), want)
	}
	byLabels := map[model.Fingerprint]*model.Sample{}
	for _, s := range want {
		byLabels[s.Metric.Fingerprint()] = s
	}
	for _, s := range got {
		w, ok := byLabels[s.Metric.Fingerprint()]
		if !ok {
			t.Fatalf("%s: %v not in the server's answer %v", expr, s.Metric, want)
		}
		g, wv := float64(s.Value), float64(w.Value)
		if math.Float64bits(g) != math.Float64bits(wv) && !(math.IsNaN(g) && math.IsNaN(wv)) || s.Timestamp != w.Timestamp {
			t.Errorf("%s %v: %v at %v, the server %v at %v", expr, s.Metric, g, s.Timestamp, wv, w.Timestamp)
		}
	}
}

// Two ratios that divide by the same expression (an error ratio and a
// mean latency, both by the request rate, as the MLServer profile asks)
// each get their own numerator, refresh after refresh, whatever the order
// the three are asked in.
func TestRatiosSharingADenominatorKeepTheirNumerators(t *testing.T) {
	at := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	var b strings.Builder
	for _, metric := range []struct {
		name  string
		scale float64
	}{{"errs", 0.01}, {"lat", 7}, {"reqs", 100}} {
		fmt.Fprintf(&b, "# TYPE %s gauge\n", metric.name)
		for i := range 6 {
			fmt.Fprintf(&b, "%s{model=\"m%d\",version=\"1\"} %g %d\n", metric.name, i, metric.scale*float64(i+1), at.Unix())
		}
	}
	b.WriteString("# EOF\n")
	p := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{Interval: time.Hour, Backfill: b.String()})
	src, err := prometheus.New(prometheus.Options{URL: p.URL})
	if err != nil {
		t.Fatal(err)
	}
	const requests = `sum by (model, version) (reqs)`
	exprs := []string{`sum by (model, version) (errs) / ` + requests, `sum by (model, version) (lat) / ` + requests, requests}
	for i := range 6 {
		refresh := at.Add(time.Duration(i+1) * time.Second)
		order := exprs
		if i%2 == 1 {
			order = []string{exprs[2], exprs[1], exprs[0]}
		}
		got := make([]model.Vector, len(order))
		errs := make([]error, len(order))
		var wg sync.WaitGroup
		for j, e := range order {
			wg.Go(func() { got[j], _, errs[j] = src.Query(context.Background(), e, refresh) })
		}
		wg.Wait()
		for j, e := range order {
			if errs[j] != nil {
				t.Fatalf("refresh %d: %s: %v", i+1, e, errs[j])
			}
			sameAnswer(t, e, got[j], p.Query(e, refresh))
		}
	}
}
