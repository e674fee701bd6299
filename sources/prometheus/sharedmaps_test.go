package prometheus

import (
	"fmt"
	"testing"

	"github.com/prometheus/common/model"
)

// The label maps of answers are shared through the source's cache, so
// taking a read's tag off must never change them: the next refresh's
// answer, decoded into the same maps, must still say which side and
// which part each series is.
func TestTagsComeOffWithoutChangingSharedMaps(t *testing.T) {
	var cache metricCache
	ratio := fmt.Sprintf(`{"status":"success","data":{"resultType":"vector","result":[
		{"metric":{"model":"a","%[1]s":"num"},"value":[1,"1"]},
		{"metric":{"model":"a","%[1]s":"den"},"value":[1,"4"]}]}}`, partLabel)
	batch := fmt.Sprintf(`{"status":"success","data":{"resultType":"vector","result":[
		{"metric":{"model":"a","%[1]s":"0"},"value":[1,"1"]},
		{"metric":{"model":"a","%[1]s":"1"},"value":[1,"2"]}]}}`, batchLabel)
	for refresh := range 3 {
		_, vec, err := decodeVector([]byte(ratio), &cache)
		if err != nil {
			t.Fatal(err)
		}
		num, den := splitParts(vec, &cache)
		if len(num) != 1 || len(den) != 1 || num[0].Value != 1 || den[0].Value != 4 {
			t.Fatalf("refresh %d: num %v, den %v; want 1 and 4", refresh, num, den)
		}
		if _, ok := num[0].Metric[partLabel]; ok || num[0].Metric["model"] != "a" {
			t.Errorf("refresh %d: the tag was not taken off: %v", refresh, num[0].Metric)
		}
		_, vec, err = decodeVector([]byte(batch), &cache)
		if err != nil {
			t.Fatal(err)
		}
		for i, smp := range vec {
			if got := smp.Metric[batchLabel]; got != model.LabelValue(fmt.Sprint(i)) {
				t.Fatalf("refresh %d: part %d's tag is %q: a shared map was changed", refresh, i, got)
			}
			if m := cache.without(smp.Metric, batchLabel); len(m) != 1 || m["model"] != "a" {
				t.Errorf("without(%v) = %v", smp.Metric, m)
			}
		}
	}
}
