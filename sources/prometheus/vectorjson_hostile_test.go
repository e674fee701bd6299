package prometheus

import (
	"fmt"
	"strings"
	"testing"
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
