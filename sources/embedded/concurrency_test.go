package embedded

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestQueriesWhileScraping runs instant and range queries while scrapes
// append (new series, stale series, sealing and retention included); run
// with -race. The counters grow by 10/s from far above zero, so once a 1m
// window holds 3 or more samples every rate is 10, whether or not the scrape
// at the query's time has been committed yet.
func TestQueriesWhileScraping(t *testing.T) {
	c := newClock()
	var xs []*exporter
	var urls []string
	for range 3 {
		x := newExporter(t, "")
		xs = append(xs, x)
		urls = append(urls, x.URL())
	}
	e := newTestEngine(t, c, Options{Interval: step, Retention: 30 * time.Minute}, urls...)
	const rounds = 260 // > 2 sealed chunks per series, and past the retention

	body := func(i int) string {
		var b strings.Builder
		for s := range 20 {
			fmt.Fprintf(&b, "q_total{s=\"%d\"} %d\n", s, 1_000_000+150*i)
		}
		fmt.Fprintf(&b, "churn{round=\"%d\"} 1\n", i%7) // series come and go
		return b.String()
	}

	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, 2)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				now := c.Now()
				v, _, err := e.Query(context.Background(), `sum by (instance) (rate(q_total[1m]))`, now)
				if err == nil && w%2 == 1 {
					_, _, err = e.QueryRange(context.Background(), `count(churn)`, now.Add(-10*time.Minute), now, step)
				}
				if err != nil {
					errs <- err
					return
				}
				if now.Sub(t0) < 75*time.Second {
					continue
				}
				for _, s := range v {
					if got := float64(s.Value); got < 199.99999 || got > 200.00001 {
						errs <- fmt.Errorf("sum of 20 rates = %g, want 200", got)
						return
					}
				}
			}
		}()
	}
	for i := range rounds {
		for _, x := range xs {
			x.Set(body(i))
		}
		if err := scrapeAt(t, e, c, time.Duration(i)*step); err != nil {
			t.Error(err)
			break
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := e.Scrapes(); got != rounds {
		t.Errorf("Scrapes() = %d, want %d", got, rounds)
	}
}
