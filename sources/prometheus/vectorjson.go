package prometheus

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/common/model"
)

// maxMetrics bounds the label sets a source keeps for reuse in one
// generation; past it the generation starts again.
const maxMetrics = 1 << 16

// maxSeriesLabels bounds the labels of one series in an answer: real
// series carry tens.
const maxSeriesLabels = 1024

// maxPresize bounds the samples an answer's vector is sized for before it
// is read: the count of "value" keys it is sized by may also count labels
// so named.
const maxPresize = 1 << 16

// metricGeneration is how long a label set no answer held is kept: the
// cache forgets series that went away within two of these.
const metricGeneration = time.Minute

// metricCache hands out one shared, read-only label map per distinct label
// set. Every query of a refresh answers for the same model versions, and
// every refresh for the same ones again: sharing their maps keeps one per
// series instead of one per sample held. Label sets are kept in two
// generations: one seen in the current or the previous generation is
// reused, others are dropped when the generation turns.
type metricCache struct {
	mu        sync.Mutex
	cur, prev map[string]model.Metric
	turned    time.Time
	curBytes  int // the label text the current generation holds
}

// maxMetricBytes bounds the label text one generation holds: with the
// previous one, at most twice this outlives the answers that brought it,
// whatever a server's labels.
const maxMetricBytes = 16 << 20

// get returns the map of the label set in s's scratch pairs.
func (c *metricCache) get(s *vectorSink) model.Metric {
	key := s.key()
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.cur[string(key)]; ok {
		return m
	}
	now := time.Now()
	if c.cur == nil || len(c.cur) >= maxMetrics || c.curBytes >= maxMetricBytes || now.Sub(c.turned) >= metricGeneration {
		c.prev, c.cur, c.turned, c.curBytes = c.cur, make(map[string]model.Metric, len(c.cur)), now, 0
	}
	m, ok := c.prev[string(key)]
	if !ok {
		m = make(model.Metric, len(s.names))
		for i, n := range s.names {
			m[model.LabelName(n)] = model.LabelValue(s.vals[i])
		}
	}
	c.cur[string(key)] = m
	c.curBytes += 2 * len(key) // the key and the map hold the labels' text once each
	return m
}

// without is m without the label name, as the shared map of that label
// set: m is shared too, so it is never changed.
func (c *metricCache) without(m model.Metric, name model.LabelName) model.Metric {
	s := vectorSink{names: make([][]byte, 0, len(m)), vals: make([][]byte, 0, len(m))}
	for k, v := range m {
		if k != name {
			s.names, s.vals = append(s.names, []byte(k)), append(s.vals, []byte(v))
		}
	}
	return c.get(&s)
}

// vectorSink collects the samples of an instant query's answer.
type vectorSink struct {
	out     model.Vector
	metrics *metricCache
	// slab holds the samples out points to: one allocation for an answer
	// instead of one per sample.
	slab []model.Sample
	// names and vals are the current sample's labels (the body's bytes).
	names, vals [][]byte
	keyBuf      []byte
}

// key is the sample's label set in one canonical text: sorted by name.
func (s *vectorSink) key() []byte {
	for i := 1; i < len(s.names); i++ { // few labels: insertion sort
		for j := i; j > 0 && string(s.names[j]) < string(s.names[j-1]); j-- {
			s.names[j], s.names[j-1] = s.names[j-1], s.names[j]
			s.vals[j], s.vals[j-1] = s.vals[j-1], s.vals[j]
		}
	}
	b := s.keyBuf[:0]
	for i, n := range s.names { // each text after its length: unambiguous
		b = binary.AppendUvarint(b, uint64(len(n)))
		b = append(b, n...)
		b = binary.AppendUvarint(b, uint64(len(s.vals[i])))
		b = append(b, s.vals[i]...)
	}
	s.keyBuf = b
	return b
}

func (s *vectorSink) scalar(v float64, at model.Time) {
	s.add(model.Sample{Metric: model.Metric{}, Value: model.SampleValue(v), Timestamp: at})
}

// add appends a sample, in the slab while it has room: the slab never
// grows in place, so the samples already handed out stay where they are.
func (s *vectorSink) add(smp model.Sample) {
	if len(s.slab) == cap(s.slab) {
		s.slab = make([]model.Sample, 0, max(16, cap(s.slab)))
	}
	s.slab = append(s.slab, smp)
	s.out = append(s.out, &s.slab[len(s.slab)-1])
}

// decodeVector reads a /api/v1/query response body as decodeAnswer does,
// into a vector whose label maps come from metrics: what Query returns,
// equal to what client_golang reads (a.tab is nil).
func decodeVector(body []byte, metrics *metricCache) (*answer, model.Vector, error) {
	// Every sample has a "value" key: counting them (fast) sizes the
	// vector and its samples once.
	n := min(bytes.Count(body, []byte(`"value"`)), maxPresize)
	sink := &vectorSink{metrics: metrics, out: make(model.Vector, 0, n), slab: make([]model.Sample, 0, n)}
	d := decoder{buf: body, vec: sink}
	a, err := d.answer(func() { sink.out, d.histograms = nil, 0 })
	if err != nil {
		return nil, nil, err
	}
	a.histograms = d.histograms
	return a, sink.out, nil
}

// vectorSample reads one series of a vector into d.vec: as sample does,
// with every label and the sample's time.
func (d *decoder) vectorSample() error {
	if d.null() {
		return nil // a nil sample, which Query leaves out
	}
	s := d.vec
	s.names, s.vals = s.names[:0], s.vals[:0]
	hasMetric, histogram := false, false
	var v float64
	var at model.Time
	var metricErr, valueErr error
	err := d.object(func(key []byte) error {
		switch string(key) {
		case "metric":
			return d.lastWins(&metricErr, func() error {
				s.names, s.vals = s.names[:0], s.vals[:0]
				hasMetric = !d.null()
				if !hasMetric {
					return nil
				}
				return d.object(d.vectorLabel)
			})
		case "value":
			return d.lastWins(&valueErr, func() error {
				v, at = 0, 0
				if d.null() {
					return nil
				}
				t, err := d.pair()
				if err != nil {
					return err
				}
				if v, err = strconv.ParseFloat(string(t), 64); err != nil {
					return d.fail(fmt.Sprintf("bad sample value %q", t))
				}
				at = d.pairTime
				return nil
			})
		case "histogram":
			if d.null() {
				return d.fail("a null histogram")
			}
			histogram = true
		}
		return d.skip()
	})
	err = errors.Join(err, metricErr, valueErr)
	if err == nil && histogram {
		d.histograms++ // left out, but counted: see instantCounted
	}
	if err != nil || histogram {
		return err
	}
	var m model.Metric // absent or null: nil, as encoding/json leaves it
	if hasMetric {
		m = s.metrics.get(s)
	}
	s.add(model.Sample{Metric: m, Value: model.SampleValue(v), Timestamp: at})
	return nil
}

// vectorLabel reads one label; a repeated name keeps its last value, as
// encoding/json fills a map, and null is "".
func (d *decoder) vectorLabel(name []byte) error {
	var val []byte
	if !d.null() {
		b, err := d.str()
		if err != nil {
			return err
		}
		val = b
	}
	s := d.vec
	for i, n := range s.names {
		if string(n) == string(name) {
			s.vals[i] = val
			return nil
		}
	}
	if len(s.names) >= maxSeriesLabels {
		// Each label is checked against the others: without a bound a
		// hostile answer would cost its size squared.
		return d.fail(fmt.Sprintf("a series with more than %d labels", maxSeriesLabels))
	}
	s.names = append(s.names, name)
	s.vals = append(s.vals, val)
	return nil
}
