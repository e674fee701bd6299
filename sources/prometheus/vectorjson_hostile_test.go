package prometheus

import (
	"fmt"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
)

// A series with more labels than any real one is refused at once: each
// label is checked against the others, so an unbounded count would cost
// the answer's size squared and stall the refresh.
func TestSeriesWithTooManyLabelsIsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{`)
	for i := 40000; i > 0; i-- { // descending: the worst order for the checks
		if i < 40000 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"l%06d":"v"`, i)
	}
	b.WriteString(`},"value":[1,"1"]}]}}`)
	var cache metricCache
	_, _, err := decodeVector([]byte(b.String()), &cache)
	if err == nil || !strings.Contains(err.Error(), "more than 1024 labels") {
		t.Fatalf("decode: %v, want the series refused for its labels", err)
	}
}

// Distinct large label sets, answer after answer, do not pile up in the
// shared label maps: the two generations kept hold a bounded text.
func TestLabelMapCacheHoldsABoundedText(t *testing.T) {
	var c metricCache
	value := []byte(strings.Repeat("x", 64<<10))
	for i := range 1000 { // 64 MiB of distinct labels
		s := vectorSink{names: [][]byte{[]byte("model"), []byte("blob")}, vals: [][]byte{[]byte(fmt.Sprint(i)), value}}
		c.get(&s)
	}
	held := 0
	for _, gen := range []map[string]model.Metric{c.cur, c.prev} {
		for k := range gen {
			held += 2 * len(k)
		}
	}
	if limit := 2*maxMetricBytes + 2*len(value) + 1024; held > limit {
		t.Errorf("the cache holds %d bytes of labels, want at most %d", held, limit)
	}
}
