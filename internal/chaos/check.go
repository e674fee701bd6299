package chaos

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// MaxErrorLen bounds the length of one error line mltop prints.
const MaxErrorLen = 1000

// ControlByte returns where s holds a byte a terminal would act on (a C0
// control other than newline and tab, DEL, a C1 control, invalid UTF-8),
// if it does.
func ControlByte(s string) (string, bool) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return fmt.Sprintf("invalid byte %#x at %d", s[i], i), true
		}
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
			return fmt.Sprintf("%U at %d: %q", r, i, s[max(0, i-40):min(len(s), i+40)]), true
		}
	}
	return "", false
}

// PlainLine says what is wrong with msg as a one-line plain error: a
// newline, a control byte, raw HTML, or more than MaxErrorLen bytes; ""
// when nothing is.
func PlainLine(msg string) string {
	switch {
	case strings.ContainsAny(msg, "\r\n"):
		return fmt.Sprintf("spans lines: %.300q", msg)
	case len(msg) > MaxErrorLen:
		return fmt.Sprintf("%d bytes long: %.200q...", len(msg), msg)
	case strings.Contains(strings.ToLower(msg), "<html") || strings.Contains(strings.ToLower(msg), "<body") || strings.Contains(msg, "<!DOCTYPE"):
		return fmt.Sprintf("carries raw HTML: %.300q", msg)
	}
	if where, bad := ControlByte(msg); bad {
		return "carries " + where
	}
	return ""
}

// HeapPeak samples the heap in use every few milliseconds until Stop, and
// reports the highest figure above the one at start: a measurement, not a
// synchronisation.
type HeapPeak struct {
	base, peak uint64
	stop       chan struct{}
	wg         sync.WaitGroup
}

// StartHeapPeak collects garbage, records the heap in use and starts
// sampling.
func StartHeapPeak() *HeapPeak {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h := &HeapPeak{base: ms.HeapInuse, peak: ms.HeapInuse, stop: make(chan struct{})}
	h.wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			h.peak = max(h.peak, ms.HeapInuse)
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	})
	return h
}

// Stop ends the sampling and returns the peak growth of the heap in use,
// in MiB.
func (h *HeapPeak) Stop() float64 {
	close(h.stop)
	h.wg.Wait()
	return float64(h.peak-h.base) / (1 << 20)
}
