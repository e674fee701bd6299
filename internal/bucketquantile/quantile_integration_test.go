package bucketquantile_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/bucketquantile"
	"github.com/mltop/mltop/internal/testenv"
)

// histograms are bucket sets written as they would be scraped (le, count),
// the awkward ones included.
var histograms = map[string][][2]string{
	"plain":          {{"0.1", "10"}, {"0.5", "30"}, {"1", "45"}, {"+Inf", "50"}},
	"empty":          {{"0.1", "0"}, {"1", "0"}, {"+Inf", "0"}},
	"inf_only":       {{"+Inf", "5"}},
	"no_inf":         {{"0.1", "1"}, {"1", "2"}},
	"nan_count":      {{"0.1", "NaN"}, {"1", "5"}, {"+Inf", "10"}},
	"nan_total":      {{"0.1", "3"}, {"1", "5"}, {"+Inf", "NaN"}},
	"non_monotonic":  {{"0.1", "10"}, {"0.5", "8"}, {"1", "20"}, {"2", "19"}, {"+Inf", "20"}},
	"empty_buckets":  {{"0.1", "0"}, {"0.2", "0"}, {"0.5", "10"}, {"1", "10"}, {"+Inf", "10"}},
	"negative":       {{"-1", "2"}, {"0", "5"}, {"1", "8"}, {"+Inf", "10"}},
	"all_in_top":     {{"0.1", "0"}, {"+Inf", "10"}},
	"unsorted_text":  {{"+Inf", "7"}, {"0.25", "3"}, {"0.05", "1"}},
	"fractional":     {{"0.005", "0.0333"}, {"0.01", "0.1333"}, {"0.025", "0.3"}, {"+Inf", "0.3333333333333333"}},
	"nearly_equal":   {{"0.1", "10"}, {"0.2", "10.000000000000002"}, {"0.5", "20"}, {"+Inf", "20"}},
	"only_one_bound": {{"1", "4"}},
}

var quantiles = []float64{0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1, -0.5, 1.5}

// TestQuantilesEqualPrometheus compares, for every histogram and quantile,
// the server's own histogram_quantile with the one computed here from the
// server's answer for the buckets: equal to the bit, or declined (ok false)
// where Prometheus versions differ.
func TestQuantilesEqualPrometheus(t *testing.T) {
	at := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	var b strings.Builder
	b.WriteString("# TYPE qtest_bucket gauge\n")
	for h, buckets := range histograms {
		for _, bk := range buckets {
			fmt.Fprintf(&b, "qtest_bucket{h=%q,le=%q} %s %d\n", h, bk[0], bk[1], at.Unix())
		}
	}
	b.WriteString("# EOF\n")
	p := testenv.StartPrometheusWith(t, testenv.PrometheusConfig{Interval: time.Hour, Backfill: b.String()})

	groups, ok := bucketquantile.Groups(p.Query(`qtest_bucket`, at))
	if !ok {
		t.Fatal("the test histograms were declined as a whole")
	}
	byName := map[string]bucketquantile.Group{}
	for _, g := range groups {
		byName[string(g.Metric["h"])] = g
	}
	compared, declined := 0, 0
	for h := range histograms {
		for _, q := range quantiles {
			want := p.Query(fmt.Sprintf(`histogram_quantile(%g, qtest_bucket{h=%q})`, q, h), at)
			if len(want) != 1 {
				t.Fatalf("%s q=%g: the server answered %d series", h, q, len(want))
			}
			g, found := byName[h]
			if !found {
				t.Fatalf("%s: no group", h)
			}
			if !g.Metric.Equal(withoutName(want[0].Metric)) {
				t.Errorf("%s: labels %v, the server's %v", h, g.Metric, want[0].Metric)
			}
			got, ok := g.Quantile(q)
			if !ok {
				declined++
				continue
			}
			w := float64(want[0].Value)
			if math.Float64bits(got) != math.Float64bits(w) && !(math.IsNaN(got) && math.IsNaN(w)) {
				t.Errorf("%s q=%g: %v (%016x), the server %v (%016x)", h, q, got, math.Float64bits(got), w, math.Float64bits(w))
			}
			compared++
		}
	}
	// 2.x and 3.x answer the nearly equal counts differently at 0.9.
	if _, ok := byName["nearly_equal"].Quantile(0.9); ok {
		t.Error("nearly equal counts answered here: the server's version decides them")
	}
	// Only the nearly equal counts may be declined, and not for every quantile.
	if declined > len(quantiles) || compared < (len(histograms)-1)*len(quantiles) {
		t.Errorf("compared %d, declined %d: the client answers too little itself", compared, declined)
	}
	t.Logf("compared %d quantiles bit for bit, declined %d", compared, declined)
}

func withoutName(m model.Metric) model.Metric {
	out := m.Clone()
	delete(out, model.MetricNameLabel)
	return out
}
