package embedded

import (
	"math"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/value"
)

// staleNaN marks a series as gone: PromQL stops returning it from that
// timestamp instead of repeating its last value for the 5m lookback.
var staleNaN = math.Float64frombits(value.StaleNaN)

// addStaleMarkers adds a staleness marker at ts for every series the
// previous scrape wrote and this one did not (all of them after a failed
// scrape), then makes this scrape's set the previous one. Markers come after
// the scrape's samples, so a series that only changed its raw text keeps
// its sample and the marker is dropped as a duplicate, as in Prometheus.
func (t *target) addStaleMarkers(b *batch, ts int64) {
	for ce := range t.prev {
		if _, ok := t.cur[ce]; !ok {
			b.add(ce.lset, ce.hash, ts, staleNaN)
		}
	}
	t.prev, t.cur = t.cur, t.prev
	clear(t.cur)
}

// Synthetic series Prometheus writes for every scrape.
const (
	upMetric              = "up"
	durationMetric        = "scrape_duration_seconds"
	samplesScrapedMetric  = "scrape_samples_scraped"
	samplesPostRelabeling = "scrape_samples_post_metric_relabeling"
	seriesAddedMetric     = "scrape_series_added"
)

// addReport adds the synthetic series for one scrape at ts. With no
// relabelling, samples after relabelling equal samples scraped.
func (t *target) addReport(b *batch, ts int64, up bool, dur time.Duration, st parseStats) {
	health := 0.0
	if up {
		health = 1
	}
	for _, s := range []struct {
		name string
		v    float64
	}{
		{upMetric, health},
		{durationMetric, dur.Seconds()},
		{samplesScrapedMetric, float64(st.total)},
		{samplesPostRelabeling, float64(st.total)},
		{seriesAddedMetric, float64(st.seriesAdded)},
	} {
		ce, ok := t.report[s.name]
		if !ok {
			lb := labels.NewBuilder(t.labels)
			lb.Set(model.MetricNameLabel, s.name)
			lset := lb.Labels()
			ce = &cacheEntry{lset: lset, hash: lset.Hash()}
			t.report[s.name] = ce
		}
		b.add(ce.lset, ce.hash, ts, s.v)
	}
}
