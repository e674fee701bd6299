package embedded

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/mltop/mltop/internal/neterr"
)

// maxBodyBytes bounds one exposition; a larger one fails the scrape rather
// than exhausting memory.
const maxBodyBytes = 64 << 20

// Run scrapes every target every Interval until ctx is done. Each target has
// its own goroutine, started at an offset derived from its URL so targets are
// staggered across the interval, as Prometheus does; the first data therefore
// arrives within one interval (call ScrapeOnce first to have it at once).
func (e *Engine) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, t := range e.targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.loop(ctx, t)
		}()
	}
	wg.Wait()
}

func (e *Engine) loop(ctx context.Context, t *target) {
	h := fnv.New64a()
	_, _ = h.Write([]byte(t.url))
	offset := time.Duration(h.Sum64() % uint64(e.opts.Interval))
	timer := time.NewTimer(offset)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return
	case <-timer.C:
	}
	tick := time.NewTicker(e.opts.Interval)
	defer tick.Stop()
	for {
		_ = e.scrapeTarget(ctx, t) // recorded in the target's health and logged
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// ScrapeOnce scrapes all targets now, concurrently, and returns the failures
// joined (nil if every target answered and parsed).
func (e *Engine) ScrapeOnce(ctx context.Context) error {
	errs := make([]error, len(e.targets))
	var wg sync.WaitGroup
	for i, t := range e.targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = e.scrapeTarget(ctx, t)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// scrapeTarget is one scrape, mirroring Prometheus's scrape loop: a failed
// fetch or parse writes no samples, only staleness markers for everything the
// previous scrape wrote, and up 0.
func (e *Engine) scrapeTarget(ctx context.Context, t *target) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	at := e.opts.Now()
	ts := at.UnixMilli()
	start := time.Now()

	var b batch
	var st parseStats
	body, contentType, err := e.fetch(ctx, t.url)
	if err != nil && ctx.Err() != nil {
		// Abandoned by the caller (shutting down), not failed: recording
		// up 0 and staleness would misreport the target.
		return fmt.Errorf("scrape %s: %w", t.url, err)
	}
	prev := t.getHealth()
	series := prev.Series
	if err == nil && len(body) > 0 {
		if st, err = t.parseInto(ctx, &b, body, contentType, ts, e.opts.Logger); err != nil && ctx.Err() != nil {
			return fmt.Errorf("scrape %s: %w", t.url, err) // abandoned, as above
		} else if err != nil {
			// Like Prometheus: nothing of a broken exposition is kept, but
			// the counts reported are those parsed before the error.
			b.reset()
			clear(t.cur)
		} else if dropped := t.dropUnseen(); dropped || st.seriesAdded > 0 || prev.LastSuccess.IsZero() {
			series = t.seriesOf()
		}
	} else if err == nil {
		series = nil // up, but exposing nothing
	}
	t.addStaleMarkers(&b, ts)
	dur := time.Since(start)
	t.addReport(&b, ts, err == nil, dur, st)
	res := e.store.commit(&b, ts)

	if res.outOfOrder+res.duplicate+res.outOfBounds+st.duplicates > 0 {
		e.opts.Logger.Debug("samples dropped", "target", t.url, "out_of_order", res.outOfOrder,
			"duplicate", res.duplicate+st.duplicates, "too_old", res.outOfBounds)
	}
	h := TargetHealth{URL: t.url, Up: err == nil, LastScrape: at, LastSuccess: prev.LastSuccess,
		Duration: dur, Samples: st.total, Series: series}
	if err == nil {
		h.LastSuccess = at
	} else {
		h.Reason = neterr.Plain(err, e.opts.Timeout)
		err = fmt.Errorf("scrape %s: %w", t.url, err)
		h.LastError = err.Error()
		if prev.Up || prev.LastScrape.IsZero() {
			e.opts.Logger.Warn("target down", "target", t.url, "err", err)
		}
	}
	if err == nil && !prev.Up && !prev.LastScrape.IsZero() {
		e.opts.Logger.Info("target up", "target", t.url)
	}
	t.setHealth(h)
	t.scrapes.Add(1)
	return err
}

// fetch GETs one exposition within the scrape timeout.
func (e *Engine) fetch(ctx context.Context, url string) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, http.NoBody)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Accept", acceptHeader)
	req.Header.Set("User-Agent", "mltop")
	req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", strconv.FormatFloat(e.opts.Timeout.Seconds(), 'f', -1, 64))
	resp, err := e.opts.Client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBodyBytes))
		_ = resp.Body.Close()
	}()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("server returned HTTP status %s", resp.Status)
	}
	body, err := readCapped(resp.Body, maxBodyBytes)
	if err != nil {
		return nil, "", err
	}
	return body, resp.Header.Get("Content-Type"), nil
}

// readCapped's pieces grow from firstChunk to maxChunk: a typical
// exposition fits the first, a large one costs no more than its size.
const (
	firstChunk = 64 << 10
	maxChunk   = 1 << 20
)

// readCapped reads r whole, failing once it passes limit bytes. It reads
// in fixed chunks and joins them once at the end: io.ReadAll's growing
// slice leaves copies of a large body behind as garbage, several times
// its size, so an endless exposition held the heap at five times the cap.
func readCapped(r io.Reader, limit int) ([]byte, error) {
	var chunks [][]byte
	total := 0
	c := make([]byte, 0, firstChunk)
	for {
		n, err := r.Read(c[len(c):cap(c)])
		c = c[:len(c)+n]
		total += n
		if total > limit {
			return nil, fmt.Errorf("body exceeds %d bytes", limit)
		}
		if len(c) == cap(c) || (err != nil && len(c) > 0) {
			chunks = append(chunks, c)
			c = make([]byte, 0, min(2*cap(c), maxChunk))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			// A connection cut mid-body is io.ErrUnexpectedEOF: not a whole exposition.
			return nil, fmt.Errorf("read body: %w", err)
		}
	}
	if len(c) > 0 {
		chunks = append(chunks, c)
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	body := make([]byte, 0, total)
	for _, c := range chunks {
		body = append(body, c...)
	}
	return body, nil
}
